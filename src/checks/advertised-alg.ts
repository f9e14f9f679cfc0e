import { verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 9449 §4.2/§11.6: never none or a MAC. §5.1: the advertised list says
 * what servers accept; SEP-1932 requires an advertised algorithm.
 */
export const advertisedAlg: CheckFn = ({ trace, schedule, options }) => {
  const id = 'sep-1932-client-advertised-alg';
  const proofs = trace.entries.filter((e) => e.proof?.header);
  if (proofs.length === 0) return verdict(id, 'SKIPPED', 'No decodable DPoP proof was sent.');
  const algOf = (seq: number) => String(proofs.find((p) => p.seq === seq)?.proof?.header?.alg);
  const forbidden = proofs.filter((e) => {
    const alg = e.proof!.header!.alg;
    const kty = (e.proof!.header!.jwk as { kty?: unknown } | undefined)?.kty;
    return typeof alg !== 'string' || alg.toLowerCase() === 'none' || /^HS/i.test(alg) || kty === 'oct';
  });
  if (forbidden.length > 0) {
    return verdict(id, 'FAILURE', `${forbidden.length} proof(s) used alg ${algOf(forbidden[0]!.seq)}: none and symmetric algorithms prove nothing.`, forbidden.map((e) => e.seq));
  }
  // The list is judged only where the client provably knew it: a token request (its URL comes from
  // the RFC 8414 metadata that lists the algs) or a request presenting a token of this run. A proof
  // made with a key an earlier run chose (a cached token) is not.
  const informed = (e: (typeof proofs)[number]) => e.endpoint === 'token' || (e.authorization.kind === 'credentials' && e.authorization.tokenId !== null);
  const advertised = schedule.as.algs;
  // RFC 9449 §5.1: the list is OPTIONAL; without it any asymmetric alg is the client's choice.
  if (advertised === null) return verdict(id, 'SUCCESS', `All ${proofs.length} proof(s) used an asymmetric alg; the metadata advertised no list.`);
  const unlisted = proofs.filter((e) => informed(e) && !advertised.includes(String(e.proof!.header!.alg)));
  if (unlisted.length > 0) {
    // SEP-1932: sign with an advertised algorithm. RFC 9449 §5.1 alone makes it an interoperability matter.
    return verdict(id, options.profile === 'sep-1932' ? 'FAILURE' : 'WARNING', `${unlisted.length} proof(s) used alg ${algOf(unlisted[0]!.seq)}, not in dpop_signing_alg_values_supported [${advertised.join(', ')}].`, unlisted.map((e) => e.seq));
  }
  return verdict(id, 'SUCCESS', `All ${proofs.length} proof(s) used an advertised asymmetric alg.`);
};
