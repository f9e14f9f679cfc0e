/**
 * sep-1932-client-advertised-alg on synthetic traces: which algorithms count
 * as none or a MAC, and which proof the message names.
 */
import { describe, expect, it } from 'vitest';
import { advertisedAlg } from '../../src/checks/advertised-alg.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-advertised-alg';
const NO_LIST = scheduleWith({ as: { algs: null } });

describe('sep-1932-client-advertised-alg (RFC 9449 §4.2, §5.1, §11.6)', () => {
  it('skips a run without a decodable proof', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401 });
    expect(advertisedAlg(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No decodable DPoP proof was sent.', evidence: [] });
  });

  it('names the alg of the first forbidden proof, not of the first proof', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', alg: 'HS256' } });
    expect(advertisedAlg({ ...b.input(), schedule: NO_LIST })).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '1 proof(s) used alg HS256: none and symmetric algorithms prove nothing.',
      evidence: [1],
    });
  });

  it('fails a symmetric key (kty oct, RFC 7518 §6.4) whatever alg the header claims', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', kty: 'oct' } });
    expect(advertisedAlg({ ...b.input(), schedule: NO_LIST })).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '1 proof(s) used alg ES256: none and symmetric algorithms prove nothing.',
      evidence: [1],
    });
  });

  it('reads only the JWA prefix HS as a MAC (RFC 7518 §3.2), not the letters elsewhere in a name', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1', alg: 'ESHS256' }, issuesToken: 'AT1' });
    expect(advertisedAlg({ ...b.input(), schedule: NO_LIST })).toEqual({
      id: ID,
      status: 'SUCCESS',
      message: 'All 1 proof(s) used an asymmetric alg; the metadata advertised no list.',
      evidence: [],
    });
  });
});
