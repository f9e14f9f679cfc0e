import { describe, tokenRequests, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** The `dpop_jkt` of an authorization request and the code its 302 handed out (RFC 9449 §10, RFC 6749 §4.1.2). */
function boundCode(url: string, location: string | undefined): { readonly jkt: string; readonly code: string } | null {
  try {
    const jkt = new URL(url).searchParams.get('dpop_jkt');
    const code = location === undefined ? null : new URL(location).searchParams.get('code');
    return jkt !== null && code !== null ? { jkt, code } : null;
  } catch {
    return null;
  }
}

/**
 * RFC 9449 §10: a client that sends `dpop_jkt` with the authorization request
 * proves the code exchange with the key of that thumbprint.
 */
export const dpopJkt: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-dpop-jkt';
  const bound = new Map<string, { jkt: string; seq: number }>();
  for (const e of trace.entries) {
    if (e.endpoint !== 'authorize') continue;
    const b = boundCode(e.url, e.responseHeaders['location']);
    if (b) bound.set(b.code, { jkt: b.jkt, seq: e.seq });
  }
  if (bound.size === 0) return verdict(id, 'SKIPPED', 'No authorization request carried dpop_jkt.');
  const exchanges = tokenRequests(trace).flatMap((e) => {
    const code = e.grant?.type === 'authorization_code' ? e.grant.code : null;
    const b = code === null ? undefined : bound.get(code);
    return b && e.proof?.jkt ? [{ e, b }] : [];
  });
  if (exchanges.length === 0) return verdict(id, 'SKIPPED', 'dpop_jkt was sent, but no code exchange with a usable proof followed.');
  const wrong = exchanges.find(({ e, b }) => e.proof!.jkt !== b.jkt);
  if (wrong) {
    return verdict(
      id,
      'FAILURE',
      `${describe(wrong.e)} redeemed the code of #${wrong.b.seq} with a proof of key ${wrong.e.proof!.jkt}, but dpop_jkt named ${wrong.b.jkt}.`,
      [wrong.b.seq, wrong.e.seq],
    );
  }
  return verdict(id, 'SUCCESS', `${exchanges.length} code exchange(s) were proved with the key named by dpop_jkt.`, exchanges.flatMap(({ e, b }) => [b.seq, e.seq]));
};
