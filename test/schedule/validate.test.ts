import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_SCHEDULE, DEFAULT_CHALLENGE_FORMAT, scheduleWith } from '../../src/schedule/defaults.ts';
import type { Schedule } from '../../src/schedule/types.ts';
import { PRESETS } from '../../src/schedule/presets.ts';
import { loadScheduleFile, parseSchedule, ScheduleError } from '../../src/schedule/validate.ts';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('parseSchedule', () => {
  it('accepts the base schedule and every preset, unchanged', () => {
    expect(parseSchedule(clone(BASE_SCHEDULE))).toEqual(BASE_SCHEDULE);
    for (const preset of Object.values(PRESETS)) expect(parseSchedule(clone(preset.schedule))).toEqual(preset.schedule);
  });

  it.each([
    ['a wrong version', { ...clone(BASE_SCHEDULE), version: 2 }, /version/],
    ['an unknown top-level field', { ...clone(BASE_SCHEDULE), extra: 1 }, /extra/],
    ['an unknown action', scheduleWith({ mcp: { post: [{ kind: 'explode' } as never] } }), /mcp\.post\[0\]/],
    ['a nonce with a space (not NQCHAR)', scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'a b' }] } }), /NQCHAR/],
    ['a nonce with a double quote', scheduleWith({ as: { initialNonce: 'a"b' } }), /NQCHAR/],
    ['an empty nonce', scheduleWith({ as: { tokenRequests: [{ kind: 'ok-new-nonce', nonce: '' }] } }), /NQCHAR/],
    ['a path without /', scheduleWith({ mcp: { path: 'mcp' } }), /mcp\.path/],
    ['a path with a query', scheduleWith({ as: { tokenPath: '/token?x=1' } }), /as\.tokenPath/],
    ['no algs', scheduleWith({ as: { algs: [] } }), /as\.algs/],
    ['a zero token lifetime', scheduleWith({ as: { tokenLifetime: 0 } }), /as\.tokenLifetime/],
    ['a transient status other than 429/503', scheduleWith({ mcp: { post: [{ kind: 'transient', status: 500 as 503 }] } }), /status/],
    ['an unknown plan method', scheduleWith({ plan: [['tools/destroy' as 'ping']] }), /plan\[0\]\[0\]/],
    ['an empty plan step', scheduleWith({ plan: [[]] }), /plan\[0\]/],
    ['the same path for token and MCP endpoints', scheduleWith({ as: { tokenPath: '/x' }, mcp: { path: '/x' } }), /must differ/],
    ['a nonce used twice', scheduleWith({ as: { initialNonce: 'n' }, mcp: { initialNonce: 'n' } }), /"n" is used twice/],
    ['a then-prefix that could repeat a listed nonce', scheduleWith({ mcp: { then: { kind: 'use-dpop-nonce', noncePrefix: 'n' }, post: [{ kind: 'use-dpop-nonce', nonce: 'n0' }] } }), /noncePrefix "n"/],
    ['not an object at all', 'schedule', /invalid schedule/],
    ['a plan of more than 100 calls', scheduleWith({ plan: Array.from({ length: 11 }, () => Array(10).fill('ping')) }), /110 calls; at most 100/],
  ])('rejects %s with a message naming it', (_name, input, message) => {
    expect(() => parseSchedule(input)).toThrow(ScheduleError);
    expect(() => parseSchedule(input)).toThrow(message);
  });

  it('accepts nonces over the whole NQCHAR set', () => {
    const all = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => c !== '"' && c !== '\\').join('');
    expect(parseSchedule(scheduleWith({ mcp: { initialNonce: all } })).mcp.initialNonce).toBe(all);
  });
});

/** A schedule as written before topology, redirects, token formats, challenge formats, the metadata flag and delays existed. */
function withoutNewFields(schedule: Schedule): Record<string, unknown> {
  const { topology: _t, responseDelays: _d, ...rest } = clone(schedule);
  const { tokenQuery: _q, tokenRedirect: _r, accessTokens: _a, ...as } = rest.as;
  const { challengeFormat: _f, boundTokensRequired: _b, redirect: _m, ...mcp } = rest.mcp;
  return { ...rest, as, mcp };
}

describe('parseSchedule: fields added later', () => {
  it('fills what an older schedule lacks from BASE_SCHEDULE', () => {
    const old = withoutNewFields(PRESETS['rs-use-dpop-nonce'].schedule);
    expect(old).not.toHaveProperty('topology');
    expect(parseSchedule(old)).toEqual(PRESETS['rs-use-dpop-nonce'].schedule);
    expect(parseSchedule(withoutNewFields(BASE_SCHEDULE))).toEqual(BASE_SCHEDULE);
  });

  it('fills the missing switches of a partial challenge format', () => {
    const input = { ...clone(BASE_SCHEDULE), mcp: { ...clone(BASE_SCHEDULE.mcp), challengeFormat: { spaced: true } } };
    expect(parseSchedule(input).mcp.challengeFormat).toEqual({ ...DEFAULT_CHALLENGE_FORMAT, spaced: true });
  });

  it('keeps every new field as given', () => {
    const schedule = scheduleWith({
      topology: 'same-origin',
      as: { tokenQuery: 'a=b&c', tokenRedirect: 308, accessTokens: { kind: 'opaque', stem: 'Az09-._~+/', padding: 2 } },
      mcp: {
        redirect: 307,
        boundTokensRequired: null,
        challengeFormat: { schemeCase: 'DPOP', errorFirst: false, bareError: true, spaced: true, extraParam: true, bearerFirst: false, separateHeaders: true },
      },
      responseDelays: [0, 2000, 17],
    });
    expect(parseSchedule(clone(schedule))).toEqual(schedule);
    expect(parseSchedule(clone(scheduleWith({ responseDelays: Array<number>(200).fill(0) }))).responseDelays).toHaveLength(200);
    expect(parseSchedule(clone(scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: 'x'.repeat(64), padding: 0 } } }))).as.accessTokens).toMatchObject({ stem: 'x'.repeat(64) });
  });

  it.each([
    ['an opaque stem with a space', scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: 'a b', padding: 0 } } }), /b64token characters[\s\S]*as\.accessTokens\.stem/],
    ['an opaque stem with =', scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: 'a=b', padding: 0 } } }), /b64token characters/],
    ['an empty opaque stem', scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: '', padding: 0 } } }), /1 to 64 characters/],
    ['an opaque stem of 65 characters', scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: 'x'.repeat(65), padding: 0 } } }), /1 to 64 characters/],
    ['a padding of 3', scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: 'x', padding: 3 as 2 } } }), /must be 0, 1 or 2/],
    ['an unknown token format', scheduleWith({ as: { accessTokens: { kind: 'macaroon' } as never } }), /as\.accessTokens/],
    ['a delay over 2000 ms', scheduleWith({ responseDelays: [2001] }), /0 to 2000 ms[\s\S]*responseDelays\[0\]/],
    ['a negative delay', scheduleWith({ responseDelays: [0, -1] }), /0 to 2000 ms/],
    ['a fractional delay', scheduleWith({ responseDelays: [1.5] }), /whole milliseconds/],
    ['201 delays', scheduleWith({ responseDelays: Array<number>(201).fill(0) }), /at most 200 delays/],
    ['a 302 MCP redirect', scheduleWith({ mcp: { redirect: 302 as 307 } }), /307, 308, \{"status": 307\|308, "crossOrigin": true\} or null[\s\S]*mcp\.redirect/],
    ['a 301 token redirect', scheduleWith({ as: { tokenRedirect: 301 as 308 } }), /307, 308, \{"status": 307\|308, "crossOrigin": true\} or null[\s\S]*as\.tokenRedirect/],
    ['an unknown topology', scheduleWith({ topology: 'same-host' as 'same-origin' }), /topology/],
    ['a token query with #', scheduleWith({ as: { tokenQuery: 'a#b' } }), /as\.tokenQuery/],
    ['a scheme spelling outside the list', scheduleWith({ mcp: { challengeFormat: { ...DEFAULT_CHALLENGE_FORMAT, schemeCase: 'Dpop' as 'DPoP' } } }), /schemeCase/],
    ['a null boundTokensRequired spelled as a string', scheduleWith({ mcp: { boundTokensRequired: 'no' as unknown as null } }), /boundTokensRequired/],
  ])('rejects %s with a message naming it', (_name, input, message) => {
    expect(() => parseSchedule(clone(input))).toThrow(ScheduleError);
    expect(() => parseSchedule(clone(input))).toThrow(message);
  });
});

describe('parseSchedule: paths served on one origin', () => {
  it.each([
    ['mcp.path on /register', { mcp: { path: '/register' } }, 'the registration endpoint and mcp.path are both "/register"'],
    ['mcp.path on /authorize', { mcp: { path: '/authorize' } }, 'the authorization endpoint and mcp.path are both "/authorize"'],
    ['the token path on the MCP redirect target', { as: { tokenPath: '/mcp/moved' }, mcp: { redirect: 307 } }, 'as.tokenPath and the redirected MCP endpoint (mcp.path + /moved) are both "/mcp/moved"'],
    ['the MCP path on the token redirect target', { as: { tokenRedirect: 308 }, mcp: { path: '/token/moved' } }, 'the redirected token endpoint (as.tokenPath + /moved) and mcp.path are both "/token/moved"'],
    ['the token path on the resource metadata', { as: { tokenPath: '/.well-known/oauth-protected-resource/mcp' } }, 'are both "/.well-known/oauth-protected-resource/mcp"'],
    ['the MCP path on the AS metadata', { mcp: { path: '/.well-known/oauth-authorization-server' } }, 'are both "/.well-known/oauth-authorization-server"'],
    ['both redirect targets', { as: { tokenPath: '/a/b', tokenRedirect: 307 }, mcp: { path: '/a/b/', redirect: 307 } }, 'are both "/a/b/moved"'],
  ] as const)('rejects %s under same-origin, accepts it on separate origins', (_name, patch, message) => {
    const shared = scheduleWith({ ...patch, topology: 'same-origin' } as Parameters<typeof scheduleWith>[0]);
    expect(() => parseSchedule(clone(shared))).toThrow(ScheduleError);
    expect(() => parseSchedule(clone(shared))).toThrow(message);
    expect(() => parseSchedule(clone(shared))).toThrow(/on the shared origin \(topology same-origin\)/);
    const separate = scheduleWith({ ...patch, topology: 'separate-origins' } as Parameters<typeof scheduleWith>[0]);
    expect(parseSchedule(clone(separate))).toEqual(separate);
  });

  it('accepts the default paths on one origin, and a /moved path when nothing redirects there', () => {
    expect(parseSchedule(clone(scheduleWith({ topology: 'same-origin' }))).topology).toBe('same-origin');
    expect(parseSchedule(clone(scheduleWith({ topology: 'same-origin', mcp: { path: '/token/moved' } }))).mcp.path).toBe('/token/moved');
  });

  it('rejects a path one server would serve twice, whatever the topology', () => {
    expect(() => parseSchedule(clone(scheduleWith({ as: { tokenPath: '/register' } })))).toThrow(
      'invalid schedule: the registration endpoint and as.tokenPath are both "/register" on one server; every served path must be distinct',
    );
    expect(() => parseSchedule(clone(scheduleWith({ mcp: { path: '/.well-known/oauth-protected-resource' } })))).toThrow(/mcp\.path and the root protected resource metadata/);
  });
});

describe('loadScheduleFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-schedule-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the file when it is missing, not JSON, or invalid', async () => {
    await expect(loadScheduleFile(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read schedule .*missing\.json: ENOENT/);
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ nope');
    await expect(loadScheduleFile(broken)).rejects.toThrow(/broken\.json is not valid JSON/);
    const invalid = path.join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ version: 1, as: { tokenLifetime: 0 } }));
    await expect(loadScheduleFile(invalid)).rejects.toThrow(/invalid\.json: invalid schedule[\s\S]*as\.tokenLifetime/);
  });

  it('reads a schedule written as its difference from the default', async () => {
    const file = path.join(dir, 'partial.json');
    const partial = { as: { tokenType: 'Bearer' }, mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'a|0' }], boundTokensRequired: false }, plan: [['tools/list']] };
    await writeFile(file, JSON.stringify(partial));
    expect(await loadScheduleFile(file)).toEqual(
      scheduleWith({ as: { tokenType: 'Bearer' }, mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'a|0' }], boundTokensRequired: false }, plan: [['tools/list']] }),
    );
    expect(parseSchedule({})).toEqual(BASE_SCHEDULE);
  });

  it('reads a schedule stored inside a report or corpus file', async () => {
    const file = path.join(dir, 'report.json');
    await writeFile(file, JSON.stringify({ check: 'sep-1932-client-rs-nonce', schedule: PRESETS['rs-use-dpop-nonce'].schedule }));
    expect(await loadScheduleFile(file)).toEqual(PRESETS['rs-use-dpop-nonce'].schedule);
  });
});
