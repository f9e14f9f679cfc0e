import { createHash, randomBytes } from 'node:crypto';
import { DpopClientError, describeOAuthError } from './errors.ts';
import { discardBody, readJsonObject, redirectTarget, stringMember } from './http.ts';
import type { AuthorizationServerMetadata, NetContext } from './oauth-metadata.ts';

/**
 * RFC 8252 §7.3: a loopback redirect URI for a native client. Nothing listens
 * on it: the test authorization servers approve at once and the client reads
 * the code from the `Location` header instead of following the redirect.
 */
export const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

export const CLIENT_NAME = 'mcp-dpop-reference-client';

/**
 * RFC 7591 §3.1: registers a public native client and returns its client_id.
 * `token_endpoint_auth_method: none` because a public client has no secret;
 * DPoP (RFC 9449 §5) binds its tokens instead.
 */
export async function registerClient(metadata: AuthorizationServerMetadata, net: NetContext): Promise<string> {
  if (metadata.registrationEndpoint === null) {
    throw new DpopClientError(
      `authorization server ${metadata.issuer} has no registration_endpoint; this client only supports dynamic registration (RFC 7591)`,
    );
  }
  net.log(`POST ${metadata.registrationEndpoint} (dynamic client registration)`);
  const response = await net.fetch(metadata.registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      client_name: CLIENT_NAME,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    }),
    signal: net.signal,
  });
  const body = await readJsonObject(response);
  const clientId = stringMember(body, 'client_id');
  if ((response.status !== 201 && response.status !== 200) || clientId === null) {
    const error = stringMember(body, 'error');
    const detail = error !== null ? `: ${describeOAuthError(error, stringMember(body, 'error_description'))}` : '';
    throw new DpopClientError(`client registration failed with status ${response.status}${detail} (RFC 7591 §3.2)`, error);
  }
  return clientId;
}

/** RFC 7636 §4.1–4.2: a code verifier and its S256 challenge. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return { verifier, challenge };
}

export interface AuthorizationRequest {
  readonly clientId: string;
  /** RFC 8707 §2: the MCP server the token is for. */
  readonly resource: string;
  readonly scope: string | null;
  /** RFC 9449 §10: the JWK thumbprint the code is to be bound to, or null to send none. */
  readonly dpopJkt: string | null;
}

export interface AuthorizationGrant {
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

/**
 * Runs the authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636) against
 * an authorization endpoint that approves without user interaction, and reads
 * the code from the redirect without following it. Checks `state`
 * (RFC 6749 §10.12) and `iss` (RFC 9207 §2.4).
 */
export async function requestAuthorizationCode(
  metadata: AuthorizationServerMetadata,
  request: AuthorizationRequest,
  net: NetContext,
): Promise<AuthorizationGrant> {
  const methods = metadata.codeChallengeMethodsSupported;
  if (methods !== null && !methods.includes('S256')) {
    throw new DpopClientError(`authorization server ${metadata.issuer} does not support PKCE S256 (RFC 7636 §4.2)`);
  }
  const pkce = createPkce();
  const state = randomBytes(16).toString('base64url');
  const url = new URL(metadata.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', REDIRECT_URI);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', pkce.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('resource', request.resource);
  if (request.scope !== null) url.searchParams.set('scope', request.scope);
  if (request.dpopJkt !== null) url.searchParams.set('dpop_jkt', request.dpopJkt);

  net.log(`GET ${metadata.authorizationEndpoint} (authorization request)`);
  const response = await net.fetch(url, { redirect: 'manual', signal: net.signal });
  await discardBody(response);
  const target = response.status >= 300 && response.status < 400 ? redirectTarget(response, url) : null;
  if (target === null) {
    throw new DpopClientError(
      `authorization endpoint answered ${response.status} instead of redirecting to the client; interactive authorization is not supported`,
    );
  }
  if (`${target.origin}${target.pathname}` !== REDIRECT_URI) {
    throw new DpopClientError(`authorization endpoint redirected to ${target.origin}${target.pathname}, not to the registered redirect_uri`);
  }
  const params = target.searchParams;
  if (params.get('state') !== state) {
    throw new DpopClientError('authorization response has a missing or wrong state (RFC 6749 §10.12)');
  }
  // RFC 9207 §2.4: a present iss must equal the issuer; a missing one is an
  // error when the server said it sends it.
  const iss = params.get('iss');
  if (iss !== null ? iss !== metadata.issuer : metadata.authorizationResponseIssParameterSupported) {
    throw new DpopClientError(`authorization response iss ${JSON.stringify(iss)} does not match issuer ${metadata.issuer} (RFC 9207 §2.4)`);
  }
  const error = params.get('error');
  if (error !== null) {
    throw new DpopClientError(
      `authorization request refused: ${describeOAuthError(error, params.get('error_description'))} (RFC 6749 §4.1.2.1)`,
      error,
    );
  }
  const code = params.get('code');
  if (code === null || code === '') {
    throw new DpopClientError('authorization response has no code (RFC 6749 §4.1.2)');
  }
  return { code, codeVerifier: pkce.verifier, redirectUri: REDIRECT_URI };
}
