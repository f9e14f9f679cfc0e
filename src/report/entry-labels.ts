import type { Trace, TraceEntry } from '../trace/types.ts';
import { joinLabel, mermaidShort, mermaidText, type MermaidText } from './mermaid-text.ts';

/** How much of a nonce, URL or reason a diagram label shows. */
const NONCE_CHARS = 16;
const URL_CHARS = 60;
const REASON_CHARS = 48;
const JTI_CHARS = 8;

/** Path and query of a request URL (the query shows although htu omits it, RFC 9449 §4.2), or the URL itself when it does not parse. */
export function requestTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/** A claim value as text: strings verbatim, anything else as JSON (the proof is unvalidated, RFC 9449 §4.2). */
function claimText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** RFC 9449 §4.2 claims worth seeing in a diagram: short jti, nonce, and htm/htu only when they do not match the request. */
function proofParts(entry: TraceEntry): MermaidText[] {
  const proof = entry.proof;
  const needsProof = entry.endpoint === 'token' || entry.authorization.kind !== 'none';
  if (proof === null) return needsProof ? [mermaidText('no DPoP proof')] : [];
  const parts: MermaidText[] = [];
  // RFC 9449 §4.3 check 1: exactly one DPoP header field.
  if (proof.count > 1) parts.push(mermaidText(`${proof.count} DPoP headers`));
  const claims = proof.claims;
  if (claims === null) {
    parts.push(mermaidText('unparsable DPoP proof'));
  } else {
    parts.push(claims.jti === undefined ? mermaidText('no jti') : mermaidText(`jti=${[...claimText(claims.jti)].slice(0, JTI_CHARS).join('')}`));
    if (claims.nonce !== undefined) parts.push(joinPrefix('nonce=', mermaidShort(claimText(claims.nonce), NONCE_CHARS)));
    if (claims.htm !== entry.method) parts.push(joinPrefix('htm=', mermaidShort(claimText(claims.htm), URL_CHARS)));
    if (claims.htu !== entry.htuTarget) parts.push(joinPrefix('htu=', mermaidShort(claimText(claims.htu), URL_CHARS)));
  }
  const problem = proof.problems[0];
  if (problem !== undefined) parts.push(joinPrefix('proof problem: ', mermaidShort(problem, REASON_CHARS)));
  return parts;
}

function joinPrefix(prefix: string, value: MermaidText): MermaidText {
  return `${mermaidText(prefix)}${value}` as MermaidText;
}

/** The `Authorization` header in brief: scheme and which issued token (RFC 9449 §7.1), never the token itself. */
function authorizationPart(entry: TraceEntry): MermaidText {
  const auth = entry.authorization;
  if (auth.kind === 'none') return '' as MermaidText;
  if (auth.kind === 'malformed') return joinPrefix('malformed Authorization: ', mermaidShort(auth.raw, REASON_CHARS));
  const token = auth.tokenId === null ? 'unknown token' : `token ${auth.tokenId}`;
  return mermaidText(`${[...auth.scheme].slice(0, 16).join('')} ${token}`);
}

/** The request arrow of one trace entry: `[seq] METHOD path · scheme · proof claims`. */
export function requestLabel(entry: TraceEntry): MermaidText {
  const rpc = entry.rpc.map((m) => m.method).filter((m): m is string => m !== null);
  const head = mermaidText(`[${entry.seq}] ${entry.method} `);
  const target = mermaidShort(requestTarget(entry.url), URL_CHARS);
  const calls = rpc.length === 0 ? ('' as MermaidText) : mermaidShort(`(${rpc.slice(0, 3).join(', ')}${rpc.length > 3 ? ', …' : ''})`, URL_CHARS);
  return joinLabel([`${head}${target}` as MermaidText, calls, authorizationPart(entry), ...proofParts(entry)]);
}

/** The dashed return arrow: status, error, the `DPoP-Nonce` delivered (RFC 9449 §8, §9) and any token issued. */
export function responseLabel(entry: TraceEntry, trace: Trace): MermaidText {
  const parts: MermaidText[] = [mermaidText(entry.status === 0 ? 'no response' : String(entry.status))];
  if (entry.error !== null) parts.push(mermaidShort(entry.error, REASON_CHARS));
  if (entry.decision.kind === 'rejected') parts.push(joinPrefix('(', `${mermaidShort(entry.decision.reason, REASON_CHARS)})` as MermaidText));
  if (entry.nonceDelivered !== null) parts.push(joinPrefix('DPoP-Nonce: ', mermaidShort(entry.nonceDelivered, NONCE_CHARS)));
  if (entry.issuedTokenId !== null) {
    const token = trace.tokens.find((t) => t.id === entry.issuedTokenId);
    parts.push(mermaidText(`issued token ${entry.issuedTokenId}`), ...(token ? [joinPrefix('token_type ', mermaidShort(token.tokenType, 16))] : []));
  }
  return joinLabel(parts);
}
