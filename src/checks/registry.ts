import type { SpecReference } from './types.ts';

/**
 * The check catalogue: stable public IDs and their documentation, kept apart
 * from the code that judges them. IDs shared with the official MCP
 * conformance suite check the same thing there.
 */

const rfc9449 = (section: string, anchor: string): SpecReference => ({
  id: `RFC 9449 §${section}`,
  url: `https://www.rfc-editor.org/rfc/rfc9449.html#${anchor}`,
});

const rfc = (rfcNumber: number, section: string): SpecReference => ({
  id: `RFC ${rfcNumber} §${section}`,
  url: `https://www.rfc-editor.org/rfc/rfc${rfcNumber}#section-${section}`,
});

const SEP_1932: SpecReference = {
  id: 'SEP-1932',
  url: 'https://github.com/modelcontextprotocol/modelcontextprotocol/blob/main/seps/1932-dpop-extension.md',
};

/** MUST requirements fail a run; SHOULD/RECOMMENDED ones only warn. */
export type RequirementLevel = 'MUST' | 'SHOULD';

export interface CheckDefinition {
  readonly id: string;
  /** Short PascalCase name, as in the official suite's `checks.json`. */
  readonly name: string;
  readonly level: RequirementLevel;
  /** What is checked. */
  readonly description: string;
  /** Why it matters. */
  readonly why: string;
  /** How a client maintainer fixes a failure. */
  readonly fix: string;
  readonly specReferences: readonly SpecReference[];
}

export const CHECKS = [
  {
    id: 'sep-1932-client-token-request-proof',
    name: 'DpopTokenRequestProof',
    level: 'MUST',
    description:
      'Every token request (every grant, refresh included) carries exactly one well-formed DPoP proof: typ dpop+jwt, an asymmetric alg, a public jwk only, a valid signature, htm POST, htu the token endpoint, jti and iat. A typ RFC 7515 §4.1.9 makes equivalent (application/dpop+jwt, other letter case) is a WARNING: legal, but refused by servers that compare bytes.',
    why: 'Without a valid proof on the token request the authorization server cannot bind the token to the client key, so the token is a bearer token (RFC 9449 §5).',
    fix: 'Build a proof for every POST to the token endpoint, including refreshes, with htu set to the token endpoint URL without query.',
    specReferences: [rfc9449('5', 'section-5'), rfc9449('4.2', 'section-4.2'), rfc9449('4.3', 'section-4.3'), SEP_1932],
  },
  {
    id: 'sep-1932-client-dpop-auth-scheme',
    name: 'DpopAuthScheme',
    level: 'MUST',
    description: 'A DPoP-bound access token is always presented as `Authorization: DPoP <token>` (a well-formed header), never with `Bearer` or another scheme; a token issued with token_type Bearer (unbound) is never presented with the DPoP scheme.',
    why: 'Resource servers must reject a DPoP-bound token sent as Bearer (RFC 9449 §7.2); MCP\'s profile requires the DPoP scheme without exception. Under `--profile rfc9449`, Bearer is tolerated after a Bearer-only challenge. The other way round, the DPoP scheme asks the resource to confirm a key binding an unbound token does not have (RFC 9449 §4.3, §7.1), so the request fails.',
    fix: 'Pick the Authorization scheme from the token_type of the token response (case-insensitively), not from a hard-coded default or from whether the client has a DPoP key.',
    specReferences: [rfc9449('7.1', 'section-7.1'), rfc9449('7.2', 'section-7.2'), SEP_1932],
  },
  {
    id: 'sep-1932-client-fresh-proof',
    name: 'DpopFreshProof',
    level: 'MUST',
    description:
      'Every MCP request that carries the access token also carries exactly one well-formed DPoP proof with jti, htm, htu and a current iat, never a replay of an earlier proof (an equivalent typ spelling is a WARNING, as in token-request-proof).',
    why: 'The resource server checks a new proof on each request (RFC 9449 §4.3, §7); a missing, malformed, stale or replayed proof is rejected.',
    fix: 'Create a new proof per HTTP request, right before sending it, with iat in seconds since the epoch.',
    specReferences: [rfc9449('4.2', 'section-4.2'), rfc9449('4.3', 'section-4.3'), rfc9449('7', 'section-7'), SEP_1932],
  },
  {
    id: 'sep-1932-client-as-nonce',
    name: 'DpopAsNonce',
    level: 'MUST',
    description: 'After a `400 use_dpop_nonce` from the token endpoint, the client retries the token request with nonce set to the supplied DPoP-Nonce value (or a newer one from the same server).',
    why: 'An authorization server that requires nonces issues no token until the client echoes one (RFC 9449 §8).',
    fix: 'On error=use_dpop_nonce, read the DPoP-Nonce header verbatim and retry once with a new proof carrying it.',
    specReferences: [rfc9449('8', 'section-8'), SEP_1932],
  },
  {
    id: 'sep-1932-client-rs-nonce',
    name: 'DpopRsNonce',
    level: 'MUST',
    description: 'After a `401` with `WWW-Authenticate: DPoP error="use_dpop_nonce"` from the MCP server, the retried request carries nonce set to the supplied DPoP-Nonce value (or a newer one from the same server).',
    why: 'A resource server that requires nonces serves nothing until the client echoes one (RFC 9449 §9).',
    fix: 'Parse the DPoP challenge, store the DPoP-Nonce for that server and retry the same request with a new proof carrying it.',
    specReferences: [rfc9449('9', 'section-9'), SEP_1932],
  },
  {
    id: 'sep-1932-client-bound-token-used',
    name: 'DpopBoundTokenUsed',
    level: 'MUST',
    description:
      'A token issued with token_type DPoP in any letter case (DPoP, dpop, DPOP) is used as a DPoP-bound token: presented exactly as issued, with a proof, never dropped or turned into a bearer flow.',
    why: 'token_type is case-insensitive (RFC 6749 §5.1); a client that only recognises the exact spelling discards the binding or refuses a valid token.',
    fix: 'Compare token_type case-insensitively with "DPoP".',
    specReferences: [rfc9449('5', 'section-5'), { id: 'RFC 6749 §5.1', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.1' }, SEP_1932],
  },
  {
    id: 'sep-1932-client-htm-htu-match',
    name: 'DpopHtmHtuMatch',
    level: 'MUST',
    description:
      'In every proof, htm equals the request method and htu equals the request target URI (scheme, host, path) after RFC 3986 normalization, without query or fragment.',
    why: 'htm/htu bind a proof to one request so it cannot be used elsewhere (RFC 9449 §4.2, §4.3 checks 8–9).',
    fix: 'Set htm to the exact method and htu to the request URL with its query and fragment removed.',
    specReferences: [rfc9449('4.2', 'section-4.2'), rfc9449('4.3', 'section-4.3'), { id: 'RFC 3986 §6.2.2', url: 'https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2' }],
  },
  {
    id: 'sep-1932-client-ath',
    name: 'DpopAth',
    level: 'MUST',
    description: 'Every proof sent with an access token has ath = base64url(SHA-256(ASCII(access token))) of the token in the same request.',
    why: 'ath binds the proof to the presented token (RFC 9449 §4.2, §7); a wrong ath is rejected.',
    fix: 'Hash exactly the token string sent after "DPoP " with SHA-256 and encode it base64url without padding.',
    specReferences: [rfc9449('4.2', 'section-4.2'), rfc9449('7', 'section-7')],
  },
  {
    id: 'sep-1932-client-unique-jti',
    name: 'DpopUniqueJti',
    level: 'MUST',
    description: 'No jti is sent twice across both servers and the whole run (a retry after 429/503 is judged by sep-1932-client-fresh-proof-on-retry instead); a jti too short to carry 96 random bits is a WARNING.',
    why: 'Each HTTP request requires a unique proof (RFC 9449 §4, §11.1); servers reject replays.',
    fix: 'Generate jti with at least 96 bits of randomness (or a UUIDv4) for every proof.',
    specReferences: [rfc9449('4', 'section-4'), rfc9449('11.1', 'section-11.1')],
  },
  {
    id: 'sep-1932-client-advertised-alg',
    name: 'DpopAdvertisedAlg',
    level: 'MUST',
    description:
      'Proofs never use `none` or a symmetric (MAC) alg, and they use an asymmetric alg listed in the server\'s dpop_signing_alg_values_supported: an unlisted one is a FAILURE under the default `sep-1932` profile, a WARNING under `--profile rfc9449`.',
    why: 'A MAC or none proof proves nothing (RFC 9449 §4.2, §11.6). SEP-1932 requires a client to sign with an advertised algorithm; RFC 9449 §5.1 only says the server may refuse others.',
    fix: 'Choose the key type from the intersection of your supported algs and the advertised list; when they do not meet, stop with an error instead of signing with another alg.',
    specReferences: [rfc9449('4.2', 'section-4.2'), rfc9449('5.1', 'section-5.1'), rfc9449('11.6', 'section-11.6'), SEP_1932],
  },
  {
    id: 'sep-1932-client-key-binding',
    name: 'DpopKeyBinding',
    level: 'MUST',
    description: 'Every resource proof is signed by the key the presented token is bound to (jwk thumbprint = cnf.jkt), and every refresh uses the key the refresh token was issued to.',
    why: 'The resource server compares the proof key with the token\'s cnf.jkt (RFC 9449 §6.1, §4.3 check 12); public clients must refresh with the same key (§5).',
    fix: 'Keep one key pair per token lineage; do not regenerate the key between token issuance and use.',
    specReferences: [rfc9449('6.1', 'section-6.1'), rfc9449('5', 'section-5'), rfc9449('4.3', 'section-4.3')],
  },
  {
    id: 'sep-1932-client-newest-nonce',
    name: 'DpopNewestNonce',
    level: 'MUST',
    description:
      'Every nonce a client sends is one the same server issued, and once a response with a nonce has provably been seen by the client, its later proofs to that server carry that nonce or a newer one.',
    why: 'The client must use the newest nonce for all subsequent requests until the server supplies another (RFC 9449 §8.2, §9); nonces are only accepted by the server that issued them.',
    fix: 'Keep one nonce per server, replace it on every DPoP-Nonce header (errors and successes alike), echo it byte for byte.',
    specReferences: [rfc9449('8.2', 'section-8.2'), rfc9449('9', 'section-9'), rfc9449('11.3', 'section-11.3')],
  },
  {
    id: 'sep-1932-client-invalid-proof-no-blind-retry',
    name: 'DpopInvalidProofNoBlindRetry',
    level: 'MUST',
    description:
      'After `invalid_dpop_proof` the client never resends the rejected proof, does not loop, and when it cannot recover it exits non-zero with a message naming the error.',
    why: 'invalid_dpop_proof is not self-correcting like use_dpop_nonce; only use_dpop_nonce invites a retry (RFC 9449 §5, §8).',
    fix: 'Treat invalid_dpop_proof as fatal for that request: surface it to the caller with the server\'s error code.',
    specReferences: [rfc9449('5', 'section-5'), rfc9449('8', 'section-8')],
  },
  {
    id: 'sep-1932-client-no-fallback-on-invalid-token',
    name: 'DpopNoFallbackOnInvalidToken',
    level: 'MUST',
    description:
      'After a `401 invalid_token` to a correctly presented DPoP request, the client never presents a token with Bearer or another scheme, and never drops the proof.',
    why: 'An invalid_token answer is no reason to downgrade: a bound token sent as Bearer is rejected (RFC 9449 §7.2) and leaks a replayable token. Under `--profile rfc9449` Bearer is tolerated after a Bearer-only challenge.',
    fix: 'On invalid_token obtain a new DPoP-bound token (refresh or re-authorize) and keep presenting it with the DPoP scheme.',
    specReferences: [rfc9449('7.2', 'section-7.2'), { id: 'RFC 6750 §3.1', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1' }, SEP_1932],
  },
  {
    id: 'sep-1932-client-bounded-retries',
    name: 'DpopBoundedRetries',
    level: 'MUST',
    description: 'The client gives up after a bounded number of consecutive nonce challenges (or other rejections) for one request instead of retrying forever.',
    why: 'A server that keeps challenging must not trigger a retry storm (RFC 9449 §8: nonces are self-correcting, so a repeated challenge means something else is wrong).',
    fix: 'Cap automatic retries per request (one or two is plenty) and report the last error.',
    specReferences: [rfc9449('8', 'section-8'), rfc9449('9', 'section-9')],
  },
  {
    id: 'sep-1932-client-unknown-token-type',
    name: 'DpopUnknownTokenType',
    level: 'MUST',
    description: 'A token whose token_type the client does not understand is never presented to the MCP server.',
    why: 'The client must not use an access token if it does not understand the token type (RFC 6749 §7.1).',
    fix: 'Reject token responses whose token_type is neither DPoP nor (if allowed) Bearer, case-insensitively.',
    specReferences: [{ id: 'RFC 6749 §7.1', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-7.1' }, rfc9449('5', 'section-5')],
  },
  {
    id: 'sep-1932-client-fresh-proof-on-retry',
    name: 'DpopFreshProofOnRetry',
    level: 'SHOULD',
    description: 'A request retried after a transient error (429, 503) carries a new proof with a new jti.',
    why: 'RECOMMENDED by RFC 9449 §7.3; servers with replay detection reject a resent proof.',
    fix: 'Rebuild the proof on every attempt instead of reusing the headers of the failed attempt.',
    specReferences: [rfc9449('7.3', 'section-7.3'), rfc9449('11.1', 'section-11.1')],
  },
  {
    id: 'sep-1932-client-completes',
    name: 'DpopCompletes',
    level: 'MUST',
    description:
      'The client finishes its run (exit 0) whenever every answer of the servers was one a conformant client proceeds from: at most one nonce challenge per request, token_type DPoP in any case, ES256 among the advertised algorithms, no redirect, no error. When it stops anyway, the finding names where: the nonce challenge it did not follow, the token it did not use, the token request it never made. Runs where a conformant client may stop are SKIPPED, never failed.',
    why: 'A client that gives up on a self-correcting nonce challenge (RFC 9449 §8, §9) or on a token whose type it misreads (RFC 6749 §5.1) cannot use a DPoP-protected MCP server at all.',
    fix: 'The finding names the step where the client stopped and quotes its last error line: fix that step (e.g. retry a use_dpop_nonce answer with the supplied nonce, compare token_type case-insensitively, build metadata URLs as RFC 9728 §3.1 says) and exit 0 when the work is done.',
    specReferences: [rfc9449('8', 'section-8'), rfc9449('9', 'section-9'), rfc(6749, '5.1'), SEP_1932],
  },
  {
    id: 'sep-1932-client-bound-tokens-required',
    name: 'DpopBoundTokensRequired',
    level: 'MUST',
    description:
      'Where the protected resource metadata says dpop_bound_access_tokens_required: true, the client never presents a token the authorization server typed Bearer (it declined to bind), with any scheme: it gets a DPoP-bound token or stops. A FAILURE under the default `sep-1932` profile, a WARNING under `--profile rfc9449`. (A DPoP-bound token presented as Bearer or without a proof is named by dpop-auth-scheme and fresh-proof, wherever it goes.)',
    why: 'Such a resource takes DPoP-bound tokens only (RFC 9728 §2) and refuses the bearer token. SEP-1932 makes DPoP-bound tokens with the DPoP scheme a MUST towards an MCP server that supports DPoP; RFC 9449 §5 alone leaves it to the client to decide that binding is important.',
    fix: 'Read dpop_bound_access_tokens_required from the resource metadata; when true, refuse a token whose token_type is not DPoP instead of presenting it, and always send the DPoP scheme with a proof.',
    specReferences: [rfc(9728, '2'), rfc9449('5', 'section-5'), rfc9449('7.1', 'section-7.1'), SEP_1932],
  },
  {
    id: 'sep-1932-client-no-grant-reuse',
    name: 'DpopNoGrantReuse',
    level: 'MUST',
    description:
      'An authorization code is redeemed once, a refresh token is not presented again after a refresh rotated it, and no two refreshes run in parallel on one refresh token. Resending a token request the server refused (use_dpop_nonce, invalid_dpop_proof) is not reuse: the grant was not spent.',
    why: 'The authorization server must refuse a reused code and should revoke what it issued (RFC 6749 §4.1.2); a rotated refresh token coming back is treated as theft and revokes the whole token family (RFC 9700 §4.14.2), so the client loses its session.',
    fix: 'Keep one renewal in flight (single-flight), replace the refresh token with the one each refresh returns, and never redeem a code twice.',
    specReferences: [rfc(6749, '4.1.2'), rfc(6749, '6'), rfc(9700, '4.14.2')],
  },
  {
    id: 'sep-1932-client-no-cross-origin-credentials',
    name: 'DpopNoCrossOriginCredentials',
    level: 'MUST',
    description:
      'The access token, DPoP proofs and nonces go only to the origin they are meant for: never along a redirect to another origin, and the access token never to the metadata, registration or authorization endpoints.',
    why: 'Whoever receives a token can replay it, and a forwarded proof is one for the original server in a third party\'s hands; clients must not leak tokens to unintended parties (RFC 6750 §5.3, RFC 9449 §7).',
    fix: 'Follow redirects by hand: only to the same origin, with a new proof for the new URL; drop Authorization and DPoP on a redirect to another origin (or refuse it). Send no Authorization header to discovery, registration or authorization endpoints.',
    specReferences: [rfc(6750, '5.3'), rfc9449('7', 'section-7'), rfc(9110, '15.4')],
  },
  {
    id: 'sep-1932-client-dpop-jkt',
    name: 'DpopJkt',
    level: 'MUST',
    description: 'When the authorization request carries dpop_jkt, it is the JWK SHA-256 thumbprint (RFC 7638) of the key that signs the proof of the code exchange.',
    why: 'dpop_jkt binds the authorization code to the client key; the authorization server must refuse a code exchange proved with any other key (RFC 9449 §10).',
    fix: 'Compute dpop_jkt from the same key pair that signs the token request proofs, and keep that key for the whole flow.',
    specReferences: [rfc9449('10', 'section-10'), rfc(7638, '3')],
  },
] as const satisfies readonly CheckDefinition[];

export type CheckId = (typeof CHECKS)[number]['id'];

export const CHECK_IDS: readonly CheckId[] = CHECKS.map((c) => c.id);

const byId = new Map<string, CheckDefinition>(CHECKS.map((c) => [c.id, c]));

export function checkDefinition(id: CheckId): CheckDefinition {
  const def = byId.get(id);
  if (!def) throw new Error(`unknown check id: ${id}`);
  return def;
}

export function isCheckId(id: string): id is CheckId {
  return byId.has(id);
}
