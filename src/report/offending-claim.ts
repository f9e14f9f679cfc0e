import type { TraceEntry } from '../trace/types.ts';

/** Longest claim value a note shows, so two values still fit in one note. */
const VALUE_CHARS = 24;

function text(value: unknown): string {
  if (value === undefined) return '(absent)';
  const full = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const chars = [...full];
  return chars.length > VALUE_CHARS ? `${chars.slice(0, VALUE_CHARS).join('')}…` : full;
}

function nonceInPlay(entry: TraceEntry): string {
  const nonce = entry.proof?.claims?.nonce;
  const sent = nonce === undefined ? 'sent no nonce' : `sent nonce=${text(nonce)}`;
  // RFC 9449 §8, §9: a challenge answer names the nonce the next attempt must carry.
  return entry.error === 'use_dpop_nonce' && entry.nonceDelivered !== null ? `${sent}, challenged with DPoP-Nonce ${text(entry.nonceDelivered)}` : sent;
}

function schemeInPlay(entry: TraceEntry): string {
  const auth = entry.authorization;
  if (auth.kind === 'credentials') return `Authorization: ${text(auth.scheme)}${entry.proof === null ? ', no proof' : ''}`;
  if (auth.kind === 'malformed') return `Authorization: ${text(auth.raw)}`;
  return entry.error === null ? `answered ${entry.status}` : `answered ${entry.status} ${entry.error}`;
}

function proofInPlay(entry: TraceEntry): string {
  const proof = entry.proof;
  if (proof === null) return 'no DPoP proof';
  const problem = proof.problems[0];
  if (problem !== undefined) return problem;
  return `jti=${text(proof.claims?.jti)}`;
}

function requestBinding(entry: TraceEntry): string {
  const claims = entry.proof?.claims;
  if (claims === null || claims === undefined) return 'no DPoP proof';
  const wrong = [
    ...(claims.htm !== entry.method ? [`htm=${text(claims.htm)} for ${entry.method}`] : []),
    ...(claims.htu !== entry.htuTarget ? [`htu=${text(claims.htu)}`] : []),
  ];
  return wrong.length > 0 ? wrong.join(', ') : `htu=${text(claims.htu)}`;
}

/**
 * The claim or header of `entry` that a failed check is about, in a few
 * words, for the note next to a highlighted arrow: the nonce for RFC 9449
 * §8/§9 checks, htm/htu for §4.2 binding, the scheme for §7.1, and so on.
 * Unknown checks get the response status.
 */
export function offendingClaim(checkId: string, entry: TraceEntry): string {
  switch (checkId) {
    case 'sep-1932-client-as-nonce':
    case 'sep-1932-client-rs-nonce':
    case 'sep-1932-client-newest-nonce':
      return nonceInPlay(entry);
    case 'sep-1932-client-dpop-auth-scheme':
    case 'sep-1932-client-no-fallback-on-invalid-token':
    case 'sep-1932-client-bound-token-used':
    case 'sep-1932-client-unknown-token-type':
      return schemeInPlay(entry);
    case 'sep-1932-client-token-request-proof':
    case 'sep-1932-client-fresh-proof':
      return proofInPlay(entry);
    case 'sep-1932-client-htm-htu-match':
      return requestBinding(entry);
    case 'sep-1932-client-ath':
      return `ath=${text(entry.proof?.claims?.ath)}`;
    case 'sep-1932-client-unique-jti':
    case 'sep-1932-client-fresh-proof-on-retry':
      return `jti=${text(entry.proof?.claims?.jti)}`;
    case 'sep-1932-client-advertised-alg':
      return `alg=${text(entry.proof?.header?.alg)}`;
    case 'sep-1932-client-key-binding':
      return `proof key ${text(entry.proof?.jkt ?? 'unknown')}`;
    default:
      return entry.error === null ? `answered ${entry.status}` : `answered ${entry.status} ${entry.error}`;
  }
}
