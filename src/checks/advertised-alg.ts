import { verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** RFC 9449 §4.2/§11.6: never none or a MAC. §5.1: the advertised list says what servers accept. */
export const advertisedAlg: CheckFn = ({ trace, schedule }) => {
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
  const unlisted = proofs.filter((e) => !schedule.as.algs.includes(String(e.proof!.header!.alg)));
  if (unlisted.length > 0) {
    return verdict(id, 'WARNING', `${unlisted.length} proof(s) used alg ${algOf(unlisted[0]!.seq)}, not in dpop_signing_alg_values_supported [${schedule.as.algs.join(', ')}].`, unlisted.map((e) => e.seq));
  }
  return verdict(id, 'SUCCESS', `All ${proofs.length} proof(s) used an advertised asymmetric alg.`);
};
