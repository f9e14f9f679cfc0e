/**
 * sep-1932-client-dpop-jkt on synthetic traces: each SKIPPED reason with its
 * exact message (RFC 9449 §10: dpop_jkt in the authorization request binds
 * the code it yields to the key of the code exchange's proof).
 */
import { describe, expect, it } from 'vitest';
import { dpopJkt } from '../../src/checks/dpop-jkt.ts';
import { AS, KEY, TraceBuilder, type Step } from './trace-builder.ts';

const ID = 'sep-1932-client-dpop-jkt';
const CALLBACK_WITH_CODE = 'http://127.0.0.1:33418/callback?code=C1&state=s';

/** A GET that the AS answers 302 to the callback with code C1 (RFC 6749 §4.1.2). */
function redirectsWithCode(endpoint: Step['endpoint'], url: string): Step {
  return { server: 'as', endpoint, method: 'GET', at: 0, done: 1, url, status: 302, responseHeaders: { location: CALLBACK_WITH_CODE } };
}

/** The code exchange redeeming C1. */
function exchange(proof: Step['proof']): Step {
  return { server: 'as', at: 2, done: 3, proof, grant: { type: 'authorization_code', code: 'C1', refreshToken: null }, issuesToken: 'AT1' };
}

describe('sep-1932-client-dpop-jkt (RFC 9449 §10)', () => {
  it('skips an authorization request without dpop_jkt, though its code is exchanged with a proof', () => {
    const b = new TraceBuilder();
    b.add(redirectsWithCode('authorize', `${AS}/authorize?client_id=c`));
    b.add(exchange({ jti: 'a' }));
    expect(dpopJkt(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No authorization request carried dpop_jkt.', evidence: [] });
  });

  it('takes dpop_jkt only from the authorization endpoint, not from another endpoint that redirects with a code', () => {
    const b = new TraceBuilder();
    b.add(redirectsWithCode('other', `${AS}/login?client_id=c&dpop_jkt=${KEY}`));
    b.add(exchange({ jti: 'a' }));
    expect(dpopJkt(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No authorization request carried dpop_jkt.', evidence: [] });
  });

  it('skips dpop_jkt whose code was exchanged without a proof (nothing to compare the thumbprint with)', () => {
    const b = new TraceBuilder();
    b.add(redirectsWithCode('authorize', `${AS}/authorize?client_id=c&dpop_jkt=${KEY}`));
    b.add(exchange(null));
    expect(dpopJkt(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'dpop_jkt was sent, but no code exchange with a usable proof followed.', evidence: [] });
  });
});
