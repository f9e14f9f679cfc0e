import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasQueryOrFragment,
  htuMatches,
  normalizeHttpUri,
  removeDotSegments,
  stripQueryAndFragment,
} from '../../src/dpop/htu.ts';

const FC = { seed: 9449, numRuns: 200 } as const;

describe('normalizeHttpUri (RFC 3986 §6.2.2–6.2.3)', () => {
  it.each([
    // §6.2.2.1 case: scheme and host lowercase, path case kept
    ['HTTPS://Example.COM/MCP', 'https://example.com/MCP'],
    // §6.2.2.1 percent-encoding hex uppercase
    ['https://h/a%2fb', 'https://h/a%2Fb'],
    // §6.2.2.2 unreserved characters decoded
    ['https://h/%7euser/%41%62%2D%2e%5F', 'https://h/~user/Ab-._'],
    ['https://%65xample.com/', 'https://example.com/'],
    ['https://A%2fB.example/', 'https://a%2Fb.example/'],
    // §6.2.2.3 dot segments, also percent-encoded ones
    ['https://h/a/./b/../c', 'https://h/a/c'],
    ['https://h/a/%2E%2e/b', 'https://h/b'],
    ['https://h/..', 'https://h/'],
    // §6.2.3 default port, empty port, empty path
    ['https://h:443/x', 'https://h/x'],
    ['http://h:80', 'http://h/'],
    ['https://h:', 'https://h/'],
    ['https://h:/', 'https://h/'],
    ['https://h', 'https://h/'],
    ['https://h:0443/', 'https://h/'],
    ['https://h:00443/', 'https://h/'],
    // other ports are kept
    ['http://h:443/', 'http://h:443/'],
    ['https://h:8443/mcp', 'https://h:8443/mcp'],
    // IPv6 literals
    ['http://[::1]:3000/mcp', 'http://[::1]:3000/mcp'],
    ['HTTP://[FE80::A]:80/', 'http://[fe80::a]/'],
    // §3.2.2 IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ), lowercased
    ['https://[v12.ab:c]/x', 'https://[v12.ab:c]/x'],
    ['https://[VF.Z~]:8443/', 'https://[vf.z~]:8443/'],
    // query and fragment dropped
    ['https://h/mcp?x=1#frag', 'https://h/mcp'],
    ['https://h#frag', 'https://h/'],
    // userinfo kept, hex normalized, case kept
    ['https://User%3a@h/', 'https://User%3A@h/'],
    // RFC 3986 §6.2.3: an empty component keeps its delimiter
    ['https://@h/', 'https://@h/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHttpUri(input)).toBe(expected);
  });

  it.each([
    ['relative reference', '/mcp'],
    ['other scheme', 'ftp://h/'],
    ['no authority', 'https:h/mcp'],
    ['empty host', 'https:///mcp'],
    ['empty host with port', 'https://:443/'],
    ['non-numeric port', 'https://h:44x/'],
    ['two colons', 'https://h:1:2/'],
    ['space in path', 'https://h/a b'],
    ['space in the query', 'https://h/mcp?a b'],
    ['invalid userinfo', 'https://a[b@h/'],
    ['non-ASCII host', 'https://exämple.com/'],
    ['malformed percent-encoding', 'https://h/%zz'],
    ['truncated percent-encoding', 'https://h/%4'],
    ['unclosed IPv6 literal', 'https://[::1/'],
    ['IPvFuture after other text', 'https://[xv1.a]/'],
    ['IPvFuture with a character outside its grammar', 'https://[v1.a%]/'],
    ['IPvFuture without its hex version', 'https://[v.a]/'],
    ['truncated percent-encoding in userinfo', 'https://a%4@h/'],
    ['truncated percent-encoding in the host', 'https://h%4/'],
    ['invalid IPv6 literal', 'https://[not-ip]/'],
    ['garbage after IPv6 literal', 'https://[::1]x/'],
    ['backslash', 'https://h\\x/'],
    ['empty string', ''],
  ])('rejects %s', (_why, input) => {
    expect(normalizeHttpUri(input)).toBeNull();
  });

  it('treats a trailing slash as significant', () => {
    expect(normalizeHttpUri('https://h/mcp')).not.toBe(normalizeHttpUri('https://h/mcp/'));
  });

  it('returns null instead of throwing on non-string input', () => {
    for (const value of [undefined, null, 42, {}, ['https://h/'], { toString: () => 'https://h/' }]) {
      expect(normalizeHttpUri(value as unknown as string)).toBeNull();
    }
  });

  it('handles a 1 MB URI in linear time', () => {
    const long = `https://h/${'a/../'.repeat(200_000)}x`;
    expect(normalizeHttpUri(long)).toBe('https://h/x');
  });
});

describe('removeDotSegments (RFC 3986 §5.2.4)', () => {
  it.each([
    ['/a/b/c/./../../g', '/a/g'],
    ['/./g', '/g'],
    ['/../g', '/g'],
    ['/a/..', '/'],
    ['/a/b/.', '/a/b/'],
    ['/a/b/..', '/a/'],
    ['/a//b/../c', '/a//c'],
    ['/a/.../b', '/a/.../b'],
    ['/a/..b/.c', '/a/..b/.c'],
    ['', ''],
    ['/', '/'],
  ])('%s → %s', (input, expected) => {
    expect(removeDotSegments(input)).toBe(expected);
  });
});

describe('htuMatches (RFC 9449 §4.3 check 9)', () => {
  it.each([
    ['HTTPS://Example.COM:443/a/../mcp', 'https://example.com/mcp'],
    ['http://h:80', 'http://h/'],
    ['https://h/%7euser', 'https://h/~user'],
    ['https://h/%7Euser', 'https://h/~user'],
    ['http://[::1]:8080/mcp', 'http://[::1]:8080/mcp'],
    ['http://[0:0:0:0:0:0:0:1]/', 'http://[0:0:0:0:0:0:0:1]:80/'],
    ['https://h/mcp?session=1', 'https://h/mcp'],
    ['https://h/mcp#x', 'https://h/mcp?y'],
  ])('%s matches %s', (htu, target) => {
    expect(htuMatches(htu, target)).toBe(true);
  });

  it.each([
    ['%2F is not /', 'https://h/a%2Fb', 'https://h/a/b'],
    ['trailing slash', 'https://h/mcp', 'https://h/mcp/'],
    ['path case', 'https://h/MCP', 'https://h/mcp'],
    ['scheme', 'http://h/mcp', 'https://h/mcp'],
    ['port', 'https://h:8443/mcp', 'https://h/mcp'],
    ['host', 'https://localhost/mcp', 'https://127.0.0.1/mcp'],
    ['IPv6 host', 'http://[::1]/mcp', 'http://[::2]/mcp'],
    ['userinfo', 'https://u@h/mcp', 'https://h/mcp'],
    ['invalid on both sides', 'not a uri', 'not a uri'],
    ['invalid htu', '', 'https://h/'],
  ])('%s: %s does not match %s', (_why, htu, target) => {
    expect(htuMatches(htu, target)).toBe(false);
  });
});

describe('query and fragment helpers', () => {
  it('hasQueryOrFragment finds "?" and "#"', () => {
    expect(hasQueryOrFragment('https://h/mcp')).toBe(false);
    expect(hasQueryOrFragment('https://h/mcp?')).toBe(true);
    expect(hasQueryOrFragment('https://h/mcp#')).toBe(true);
    expect(hasQueryOrFragment('https://h/mcp?a=1#b')).toBe(true);
    expect(hasQueryOrFragment(42 as unknown as string)).toBe(false);
    expect(hasQueryOrFragment(['a?b'] as unknown as string)).toBe(false);
  });

  it('stripQueryAndFragment cuts at the first "?" or "#"', () => {
    expect(stripQueryAndFragment('https://h/mcp')).toBe('https://h/mcp');
    expect(stripQueryAndFragment('https://h/mcp?a=1#b')).toBe('https://h/mcp');
    expect(stripQueryAndFragment('https://h/mcp#b?c')).toBe('https://h/mcp');
    expect(stripQueryAndFragment('?x')).toBe('');
    expect(stripQueryAndFragment(null as unknown as string)).toBe('');
  });
});

describe('normalization properties (fast-check)', () => {
  const scheme = fc.constantFrom('http', 'https');
  const host = fc.oneof(fc.domain(), fc.ipV6().map((ip) => `[${ip}]`));
  /** A path segment that is not a dot segment, even after decoding. */
  const segment = fc.webSegment().filter((s) => !/^(?:\.|%2[eE]){1,2}$/.test(s));
  const segments = fc.array(segment, { maxLength: 6 });
  const port = fc.option(fc.integer({ min: 1, max: 65535 }).map(String), { nil: undefined });
  const suffix = fc.constantFrom('', '?q=1', '#f', '?a=b#c');

  const uri = fc.record({ scheme, host, port, segments, suffix });
  interface Parts {
    scheme: string;
    host: string;
    port: string | undefined;
    segments: string[];
    suffix: string;
  }
  const build = (p: Parts, path = p.segments.length === 0 ? '' : `/${p.segments.join('/')}`): string =>
    `${p.scheme}://${p.host}${p.port === undefined ? '' : `:${p.port}`}${path}${p.suffix}`;

  it('normalizes every generated URI, idempotently', () => {
    fc.assert(
      fc.property(uri, (p) => {
        const once = normalizeHttpUri(build(p));
        expect(once).not.toBeNull();
        expect(normalizeHttpUri(once ?? '')).toBe(once);
      }),
      FC,
    );
  });

  it('ignores the case of scheme and host', () => {
    fc.assert(
      fc.property(uri, fc.integer(), (p, flips) => {
        const flip = (text: string): string =>
          [...text].map((c, i) => (((flips >> (i % 31)) & 1) === 1 ? c.toUpperCase() : c)).join('');
        const shouted = { ...p, scheme: flip(p.scheme), host: flip(p.host) };
        expect(normalizeHttpUri(build(shouted))).toBe(normalizeHttpUri(build(p)));
      }),
      FC,
    );
  });

  it('is unchanged by adding the default port or an empty port', () => {
    fc.assert(
      fc.property(uri, fc.boolean(), (p, empty) => {
        const bare = { ...p, port: undefined };
        const withPort = { ...p, port: empty ? '' : p.scheme === 'http' ? '80' : '443' };
        expect(normalizeHttpUri(build(withPort))).toBe(normalizeHttpUri(build(bare)));
      }),
      FC,
    );
  });

  it('is unchanged by inserting dot segments before a segment', () => {
    fc.assert(
      fc.property(
        uri.filter((p) => p.segments.length > 0),
        fc.nat(),
        segment,
        fc.constantFrom('..', '%2e%2E', '.%2E'),
        fc.boolean(),
        (p, where, detour, dotdot, useDot) => {
          const at = where % p.segments.length;
          const extra = useDot ? ['.'] : [detour, dotdot];
          const longer = [...p.segments.slice(0, at), ...extra, ...p.segments.slice(at)];
          expect(normalizeHttpUri(build(p, `/${longer.join('/')}`))).toBe(normalizeHttpUri(build(p)));
        },
      ),
      FC,
    );
  });

  it('is unchanged by percent-encoding unreserved characters', () => {
    const encode = (text: string, mask: number): string =>
      text.replace(/%[0-9A-Fa-f]{2}|[A-Za-z0-9\-._~]/g, (c, offset: number) =>
        c.length === 1 && ((mask >> (offset % 31)) & 1) === 1 ? `%${c.charCodeAt(0).toString(16)}` : c,
      );
    fc.assert(
      fc.property(uri, fc.integer(), (p, mask) => {
        const path = p.segments.length === 0 ? '' : `/${p.segments.join('/')}`;
        expect(normalizeHttpUri(build(p, encode(path, mask)))).toBe(normalizeHttpUri(build(p)));
      }),
      FC,
    );
  });
});
