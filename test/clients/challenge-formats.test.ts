/**
 * The reference client's WWW-Authenticate parser (RFC 9110 §11.6.1) reads
 * the same challenges from every spelling the test MCP server can produce:
 * any scheme case, parameter order, token or quoted values (with escapes),
 * optional whitespace, an unknown parameter, several challenges in one field
 * or in several fields.
 */
import { describe, expect, it } from 'vitest';
import { challengeError } from '../../src/clients/dpop-fetch.ts';
import { findChallenge, parseWwwAuthenticate, type Challenge } from '../../src/clients/www-authenticate.ts';
import type { ChallengeFormat, ChallengeSchemes } from '../../src/schedule/types.ts';
import { buildChallenge, EXTRA_PARAM, type ChallengeParams } from '../../src/world/challenge.ts';
import { allChallengeFormats } from '../support/challenge-formats.ts';

const RM = 'http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp?x="1"';

const CASES: readonly (readonly [string, ChallengeParams])[] = [
  ['no credentials', { resourceMetadata: RM, algs: ['ES256', 'EdDSA'] }],
  ['use_dpop_nonce', { error: 'use_dpop_nonce', description: 'Resource server requires nonce in DPoP proof', resourceMetadata: RM, algs: ['ES256'] }],
  ['invalid_dpop_proof', { error: 'invalid_dpop_proof', description: "htu claim 'x' is not \"y\"", resourceMetadata: RM, algs: ['ES256'] }],
  ['invalid_token', { error: 'invalid_token', description: 'The access token is not valid', resourceMetadata: RM, algs: ['PS256'] }],
];


/** What a correct parser must read from one challenge. */
function expectedParams(p: ChallengeParams, f: ChallengeFormat, withAlgs: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.error) out['error'] = p.error;
  if (f.extraParam) out[EXTRA_PARAM.name] = EXTRA_PARAM.value;
  // The server replaces characters error_description may not hold (RFC 6750 §3) with "'".
  if (p.description) out['error_description'] = p.description.replace(/"/g, "'");
  if (withAlgs) out['algs'] = p.algs.join(' ');
  out['resource_metadata'] = p.resourceMetadata;
  return out;
}

const paramsOf = (c: Challenge | undefined): Record<string, string> | undefined => (c === undefined ? undefined : Object.fromEntries(c.params));

describe.each(['DPoP', 'DPoP+Bearer', 'Bearer'] as ChallengeSchemes[])('challenges %s', (schemes) => {
  it.each(CASES)('%s: every format parses to the same challenges', (_name, p) => {
    let checked = 0;
    for (const f of allChallengeFormats()) {
      const fields = buildChallenge(schemes, p, f);
      const dpopOnly = p.error === 'use_dpop_nonce' || p.error === 'invalid_dpop_proof';
      const offersDpop = dpopOnly || schemes !== 'Bearer';
      const offersBearer = schemes === 'DPoP+Bearer' || (!dpopOnly && schemes === 'Bearer');
      // Separate fields, and the same fields joined as Headers.get() does, read alike.
      for (const input of [fields, fields.join(', ')]) {
        const challenges = parseWwwAuthenticate(input);
        const label = `${JSON.stringify(f)} ${JSON.stringify(input)}`;
        expect(challenges.map((c) => c.scheme.toLowerCase()), label).toEqual(
          offersDpop && offersBearer ? (f.bearerFirst ? ['bearer', 'dpop'] : ['dpop', 'bearer']) : offersDpop ? ['dpop'] : ['bearer'],
        );
        expect(paramsOf(findChallenge(challenges, 'DPoP')), label).toEqual(offersDpop ? expectedParams(p, f, true) : undefined);
        // With a nonce or proof error, the Bearer challenge next to it carries no error.
        const bearerParams = dpopOnly ? expectedParams({ resourceMetadata: p.resourceMetadata, algs: [] }, f, false) : expectedParams(p, f, false);
        expect(paramsOf(findChallenge(challenges, 'Bearer')), label).toEqual(offersBearer ? bearerParams : undefined);
        // The error the client acts on is the server's, never the one inside the unknown parameter.
        expect(challengeError(challenges)?.error ?? null, label).toBe(p.error ?? null);
        checked++;
      }
    }
    expect(checked).toBe(192 * 2);
  });
});
