/**
 * sep-1932-client-bound-tokens-required on synthetic traces: each verdict with
 * its exact message and evidence. RFC 9728 §2 `dpop_bound_access_tokens_required`
 * is judged only for presentations made once the client had the metadata: a 200
 * from the protected resource metadata endpoint answered no later than the request arrived.
 */
import { describe, expect, it } from 'vitest';
import { boundTokensRequired } from '../../src/checks/bound-tokens-required.ts';
import type { JudgeOptions } from '../../src/checks/types.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import { TraceBuilder, withToken, type Step } from './trace-builder.ts';

const ID = 'sep-1932-client-bound-tokens-required';
/** The AS declines to bind (token_type Bearer) while the resource requires bound tokens. */
const REQUIRED = scheduleWith({ as: { tokenType: 'Bearer' }, mcp: { boundTokensRequired: true } });
const NOT_READ = 'The client presented no token after reading the resource metadata.';

function judge(b: TraceBuilder, options: Partial<JudgeOptions> = {}) {
  return boundTokensRequired({ ...b.input({}, options), schedule: REQUIRED });
}

/** #0 issues the Bearer-typed token AT1; #1 is the metadata, answered at `metadataDone`. */
function afterMetadata(metadataDone = 3): TraceBuilder {
  const b = new TraceBuilder('Bearer');
  withToken(b);
  b.add({ endpoint: 'prm', method: 'GET', at: 2, done: metadataDone });
  return b;
}

const present = (at: number, scheme: string, proof: boolean): Step => ({ at, done: at + 1, token: 'AT1', scheme, proof: proof ? { jti: `m-${at}` } : null, status: 401, error: 'invalid_token' });

describe('sep-1932-client-bound-tokens-required (RFC 9728 §2, RFC 9449 §5)', () => {
  it('fails the Bearer scheme with a proof on a request arriving exactly when the metadata was answered', () => {
    const b = afterMetadata(5);
    b.add(present(5, 'Bearer', true));
    expect(judge(b)).toEqual({
      id: ID,
      status: 'FAILURE',
      message:
        '#2 POST mcp (tools/list) presented the token of #0, which the authorization server typed "Bearer", as a bearer token (Bearer scheme), although the resource metadata (#1) says dpop_bound_access_tokens_required: true.',
      evidence: [1, 2],
    });
  });

  it('fails the DPoP scheme without a proof as a bearer presentation (RFC 9449 §7.1: no proof, no binding)', () => {
    const b = afterMetadata();
    b.add(present(4, 'DPoP', false));
    expect(judge(b)).toEqual({
      id: ID,
      status: 'FAILURE',
      message:
        '#2 POST mcp (tools/list) presented the token of #0, which the authorization server typed "Bearer", as a bearer token (DPoP scheme, no proof), although the resource metadata (#1) says dpop_bound_access_tokens_required: true.',
      evidence: [1, 2],
    });
  });

  it('describes the first of three unbound presentations (scheme "dpop" with a proof) and lists the others; a WARNING under --profile rfc9449', () => {
    const b = afterMetadata();
    b.add(present(4, 'dpop', true));
    b.add(present(6, 'DPoP', true));
    b.add(present(8, 'Bearer', false));
    const message =
      '#2 POST mcp (tools/list) presented the token of #0, which the authorization server typed "Bearer", with a DPoP proof, but it is not DPoP-bound, although the resource metadata (#1) says dpop_bound_access_tokens_required: true (so did #3, #4).';
    expect(judge(b)).toEqual({ id: ID, status: 'FAILURE', message, evidence: [1, 2, 3, 4] });
    // RFC 9449 §5 alone leaves binding to the client's judgement.
    expect(judge(b, { profile: 'rfc9449' })).toEqual({ id: ID, status: 'WARNING', message, evidence: [1, 2, 3, 4] });
  });

  it('does not count a 404 from the metadata endpoint or a 200 from another endpoint as the metadata', () => {
    const b = new TraceBuilder('Bearer');
    b.add({ endpoint: 'prm', method: 'GET', at: 0, done: 1, status: 404 });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-1' }, issuesToken: 'AT1' });
    b.add(present(4, 'Bearer', false));
    expect(judge(b)).toEqual({ id: ID, status: 'SKIPPED', message: NOT_READ, evidence: [] });
  });

  it('does not judge a presentation that arrived before the metadata was answered', () => {
    const b = new TraceBuilder('Bearer');
    withToken(b);
    b.add(present(2, 'Bearer', false));
    b.add({ endpoint: 'prm', method: 'GET', at: 4, done: 5 });
    expect(judge(b)).toEqual({ id: ID, status: 'SKIPPED', message: NOT_READ, evidence: [] });
  });

  it('does not count a request without an Authorization header as a presentation', () => {
    const b = afterMetadata();
    b.add({ at: 4, done: 5, status: 401 });
    expect(judge(b)).toEqual({ id: ID, status: 'SKIPPED', message: NOT_READ, evidence: [] });
  });

  it('cites the metadata response the client had read, not an earlier request still unanswered', () => {
    const b = new TraceBuilder('Bearer');
    withToken(b);
    b.add({ endpoint: 'prm', method: 'GET', at: 2, done: 100 });
    b.add({ endpoint: 'prm', method: 'GET', at: 3, done: 4 });
    b.add(present(5, 'Bearer', false));
    expect(judge(b)).toEqual({
      id: ID,
      status: 'FAILURE',
      message:
        '#3 POST mcp (tools/list) presented the token of #0, which the authorization server typed "Bearer", as a bearer token (Bearer scheme, no proof), although the resource metadata (#2) says dpop_bound_access_tokens_required: true.',
      evidence: [2, 3],
    });
  });
});
