/**
 * RFC 3986 normalization of `http`/`https` URIs, for comparing a DPoP proof's
 * `htu` claim with the target URI of the request that carried it.
 *
 * RFC 9449 §4.3 says servers SHOULD apply syntax-based (RFC 3986 §6.2.2) and
 * scheme-based (§6.2.3) normalization before comparing `htu`, so that an
 * equivalent but differently spelled URI is not a false mismatch. The WHATWG
 * `URL` parser is deliberately not used: it is not RFC 3986 (it neither
 * uppercases percent-encoding hex nor decodes `%7E`, and it rewrites hosts).
 *
 * Decisions where the RFCs leave room:
 * - Only absolute `http`/`https` URIs with a non-empty host normalize; anything
 *   else (relative references, other schemes, characters outside RFC 3986,
 *   malformed percent-encoding, a bad port) gives `null`, which never matches.
 * - Userinfo is kept (after percent-encoding normalization, case preserved).
 *   RFC 9110 §4.2.4 forbids it in a target URI, so keeping it means an `htu`
 *   carrying credentials never matches a target without them.
 * - Leading zeros of the port are dropped before the default-port comparison
 *   (`:0443` is port 443).
 * - IPv6 literals are lowercased but not rewritten to RFC 5952 canonical text;
 *   RFC 3986 §6.2.2.1 only asks for case normalization.
 * - Query and fragment are dropped: RFC 9449 §4.3 check 9 ignores them.
 */

import { isIPv6 } from 'node:net';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** RFC 3986 §3.2.1 userinfo = *( unreserved / pct-encoded / sub-delims / ":" ). */
const USERINFO = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/;
/** RFC 3986 §3.2.2 reg-name, non-empty (RFC 9110 §4.2.1: http(s) needs a host). */
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
/** RFC 3986 §3.2.2 IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ). */
const IPV_FUTURE = /^[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+$/;
/** RFC 3986 §3.2.3 port = *DIGIT. */
const PORT = /^[0-9]*$/;
/** RFC 3986 §3.3 path-abempty: segments of pchar separated by "/". */
const PATH = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
/** A URI is printable US-ASCII only (RFC 3986 §2). */
const URI_CHARS = /^[\x21-\x7E]*$/;
/** RFC 3986 §2.3 unreserved characters. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

const DEFAULT_PORT: Readonly<Record<string, string>> = { http: '80', https: '443' };

/**
 * RFC 3986 §6.2.2.1 and §6.2.2.2: uppercase the hex digits of every
 * percent-encoding and decode those that encode an unreserved character.
 * Reserved characters stay encoded (`%2F` is not `/`).
 */
function normalizePercentEncoding(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/** RFC 3986 §6.2.2.1: the host is case-insensitive, percent-encoding hex is uppercase. */
function lowercaseOutsidePercentEncoding(text: string): string {
  return text.replace(/%[0-9A-F]{2}|[^%]+/g, (part) => (part.startsWith('%') ? part : part.toLowerCase()));
}

/**
 * RFC 3986 §5.2.4 remove_dot_segments, for a path that is empty or starts
 * with "/" (always the case after an authority). Works on whole segments so it
 * stays linear on hostile input; it gives the same result as the RFC's
 * buffer-moving loop, including the trailing "/" left by a final `.` or `..`.
 */
export function removeDotSegments(path: string): string {
  if (path === '') return '';
  const segments = path.split('/').slice(1);
  const output: string[] = [];
  let trailingSlash = false;
  for (const segment of segments) {
    trailingSlash = false;
    if (segment === '.') {
      trailingSlash = true;
    } else if (segment === '..') {
      output.pop();
      trailingSlash = true;
    } else {
      output.push(segment);
    }
  }
  const joined = `/${output.join('/')}`;
  return trailingSlash && output.length > 0 ? `${joined}/` : joined;
}

interface HostPort {
  readonly host: string;
  readonly port: string | null;
}

/** RFC 3986 §3.2.2–3.2.3: split `host [ ":" port ]`, validating both parts. */
function splitHostPort(hostPort: string): HostPort | null {
  let host: string;
  let rest: string;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return null;
    const literal = hostPort.slice(1, close);
    if (!isIPv6(literal) && !IPV_FUTURE.test(literal)) return null;
    host = `[${literal.toLowerCase()}]`;
    rest = hostPort.slice(close + 1);
  } else {
    const colon = hostPort.indexOf(':');
    const name = colon < 0 ? hostPort : hostPort.slice(0, colon);
    if (!REG_NAME.test(name)) return null;
    host = lowercaseOutsidePercentEncoding(normalizePercentEncoding(name));
    rest = colon < 0 ? '' : hostPort.slice(colon);
  }
  if (rest === '') return { host, port: null };
  if (!rest.startsWith(':')) return null;
  const port = rest.slice(1);
  if (!PORT.test(port)) return null;
  return { host, port };
}

/**
 * RFC 3986 §6.2.2–6.2.3 normalization of an absolute `http`/`https` URI,
 * without query and fragment (RFC 9449 §4.3 check 9). Returns null when the
 * input is not such a URI. See the module comment for the decisions taken.
 */
export function normalizeHttpUri(uri: string): string | null {
  if (typeof uri !== 'string' || !URI_CHARS.test(uri)) return null;
  const schemeMatch = SCHEME.exec(uri);
  if (schemeMatch === null) return null;
  const scheme = (schemeMatch[1] ?? '').toLowerCase();
  const defaultPort = DEFAULT_PORT[scheme];
  if (defaultPort === undefined) return null;

  const afterScheme = stripQueryAndFragment(uri.slice(schemeMatch[0].length));
  if (!afterScheme.startsWith('//')) return null;
  const hierPart = afterScheme.slice(2);
  const slash = hierPart.indexOf('/');
  const authority = slash < 0 ? hierPart : hierPart.slice(0, slash);
  const path = slash < 0 ? '' : hierPart.slice(slash);

  // RFC 3986 §3.2: userinfo cannot contain an unencoded "@", so the last one ends it.
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? null : authority.slice(0, at);
  if (userinfo !== null && !USERINFO.test(userinfo)) return null;
  const hostPort = splitHostPort(authority.slice(at + 1));
  if (hostPort === null) return null;
  if (!PATH.test(path)) return null;

  // RFC 3986 §6.2.3: an empty port or the scheme's default port is dropped.
  const port = hostPort.port === null || hostPort.port === '' ? null : hostPort.port.replace(/^0+(?=[0-9])/, '');
  const portPart = port === null || port === defaultPort ? '' : `:${port}`;
  const userinfoPart = userinfo === null ? '' : `${normalizePercentEncoding(userinfo)}@`;
  // RFC 3986 §6.2.2.2 before §6.2.2.3, so `%2E%2E` counts as a dot segment;
  // §6.2.3: an empty path is "/" for http(s).
  const normalizedPath = removeDotSegments(normalizePercentEncoding(path)) || '/';
  return `${scheme}://${userinfoPart}${hostPort.host}${portPart}${normalizedPath}`;
}

/**
 * RFC 9449 §4.3 check 9: does the proof's `htu` match the request's target
 * URI, ignoring query and fragment, after RFC 3986 §6.2.2–6.2.3
 * normalization of both? False when either is not an http(s) URI.
 */
export function htuMatches(htu: string, target: string): boolean {
  const left = normalizeHttpUri(htu);
  return left !== null && left === normalizeHttpUri(target);
}

/**
 * RFC 9449 §4.2: `htu` is the target URI "without query and fragment parts".
 * In a URI, "?" and "#" can only start the query and the fragment (RFC 3986
 * §3), so their presence anywhere is the finding.
 */
export function hasQueryOrFragment(uri: string): boolean {
  return typeof uri === 'string' && /[?#]/.test(uri);
}

/** RFC 3986 §3.4–3.5: the URI up to (not including) its query or fragment. */
export function stripQueryAndFragment(uri: string): string {
  if (typeof uri !== 'string') return '';
  const end = uri.search(/[?#]/);
  return end < 0 ? uri : uri.slice(0, end);
}
