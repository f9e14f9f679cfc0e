import { DpopClientError } from './errors.ts';
import { readJsonObject, stringMember } from './http.ts';

/** What the OAuth parts of the client need from the run: cancellation and logging. */
export interface NetContext {
  readonly signal: AbortSignal | undefined;
  readonly log: (line: string) => void;
  /** The HTTP client: the global fetch, or the test servers' in-memory one. */
  readonly fetch: typeof fetch;
}

/** RFC 9728 §2: the fields of protected resource metadata the client uses. */
export interface ProtectedResourceMetadata {
  readonly url: string;
  readonly resource: string | null;
  readonly authorizationServers: readonly string[];
  readonly scopesSupported: readonly string[] | null;
  /** RFC 9728 §2 `dpop_bound_access_tokens_required` (absent = false). */
  readonly boundTokensRequired: boolean;
}

/** RFC 8414 §2 (+ RFC 9449 §5.1, RFC 9207 §3): the fields of AS metadata the client uses. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly registrationEndpoint: string | null;
  /** `dpop_signing_alg_values_supported` as received (RFC 9449 §5.1); undefined when absent. */
  readonly dpopSigningAlgValuesSupported: unknown;
  readonly codeChallengeMethodsSupported: readonly string[] | null;
  /** RFC 9207 §3: the AS sends `iss` in authorization responses. */
  readonly authorizationResponseIssParameterSupported: boolean;
}

/** Inserts a well-known suffix between host and path (RFC 8615 §3, as RFC 8414 §3.1 and RFC 9728 §3.1 do). */
function insertWellKnown(url: URL, suffix: string, keepQuery: boolean): string {
  // RFC 8414 §3.1: a terminating "/" of the path is removed first.
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/${suffix}${path}${keepQuery ? url.search : ''}`;
}

/**
 * Where to look for protected resource metadata when the challenge has no
 * `resource_metadata`: RFC 9728 §3.1 (suffix inserted before the path, query
 * kept), then the root of the origin, as the MCP authorization spec does.
 */
export function protectedResourceMetadataUrls(resourceUrl: string | URL): string[] {
  const url = new URL(resourceUrl);
  const pathBased = insertWellKnown(url, 'oauth-protected-resource', true);
  const root = `${url.origin}/.well-known/oauth-protected-resource`;
  return pathBased === root ? [root] : [pathBased, root];
}

/** RFC 8414 §3.1: the metadata URL of an issuer. */
export function authorizationServerMetadataUrl(issuer: string): string {
  return insertWellKnown(new URL(issuer), 'oauth-authorization-server', false);
}

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v): v is string => typeof v === 'string') ? value : null;
}

async function getJson(url: string, what: string, net: NetContext): Promise<{ status: number; body: Record<string, unknown> | null }> {
  net.log(`GET ${url} (${what})`);
  let response: Response;
  try {
    response = await net.fetch(url, { headers: { accept: 'application/json' }, signal: net.signal });
  } catch (error) {
    throw new DpopClientError(`could not fetch ${what} from ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { status: response.status, body: await readJsonObject(response) };
}

/**
 * Fetches protected resource metadata (RFC 9728 §3): from the challenge's
 * `resource_metadata` URL if there is one (RFC 9728 §5.1), else from the
 * well-known locations of the MCP URL. With `checkResource`, metadata whose
 * `resource` is not the URL it describes is not used (RFC 9728 §3.3): the
 * URL of the challenged request when it came from a challenge, else the
 * MCP URL the well-known location was built from.
 */
export async function fetchProtectedResourceMetadata(
  resourceMetadataUrl: string | null,
  mcpUrl: string,
  net: NetContext,
  checkResource: { readonly challengedUrl: string } | null = null,
): Promise<ProtectedResourceMetadata> {
  const candidates = resourceMetadataUrl !== null ? [resourceMetadataUrl] : protectedResourceMetadataUrls(mcpUrl);
  let lastStatus = 0;
  for (const url of candidates) {
    const { status, body } = await getJson(url, 'protected resource metadata', net);
    lastStatus = status;
    if (status === 404 && resourceMetadataUrl === null) continue;
    if (status !== 200 || body === null) break;
    const servers = stringArray(body['authorization_servers']);
    if (servers === null || servers.length === 0) {
      throw new DpopClientError(`protected resource metadata at ${url} lists no authorization_servers (RFC 9728 §2)`);
    }
    const resource = stringMember(body, 'resource');
    const expected = resourceMetadataUrl !== null ? checkResource?.challengedUrl : url === candidates[0] ? mcpUrl : null;
    if (checkResource !== null && expected != null && resource !== expected) {
      throw new DpopClientError(`protected resource metadata at ${url} names resource ${JSON.stringify(resource)}, not ${JSON.stringify(expected)}; not used (RFC 9728 §3.3)`);
    }
    return {
      url,
      resource,
      authorizationServers: servers,
      scopesSupported: stringArray(body['scopes_supported']),
      boundTokensRequired: body['dpop_bound_access_tokens_required'] === true,
    };
  }
  throw new DpopClientError(
    `no usable protected resource metadata (tried ${candidates.join(', ')}; last status ${lastStatus}) (RFC 9728 §3)`,
  );
}

/**
 * Fetches RFC 8414 metadata of `issuer` and checks that it describes that
 * issuer (RFC 8414 §3.3: `issuer` MUST be identical to the issuer the URL was
 * built from, or the metadata must not be used).
 */
export async function fetchAuthorizationServerMetadata(issuer: string, net: NetContext): Promise<AuthorizationServerMetadata> {
  const url = authorizationServerMetadataUrl(issuer);
  const { status, body } = await getJson(url, 'authorization server metadata', net);
  if (status !== 200 || body === null) {
    throw new DpopClientError(`authorization server metadata at ${url} answered ${status} without a JSON object (RFC 8414 §3.2)`);
  }
  const reportedIssuer = stringMember(body, 'issuer');
  if (reportedIssuer !== issuer) {
    throw new DpopClientError(
      `authorization server metadata at ${url} has issuer ${JSON.stringify(reportedIssuer)}, expected ${JSON.stringify(issuer)} (RFC 8414 §3.3)`,
    );
  }
  const authorizationEndpoint = stringMember(body, 'authorization_endpoint');
  const tokenEndpoint = stringMember(body, 'token_endpoint');
  if (authorizationEndpoint === null || tokenEndpoint === null) {
    throw new DpopClientError(`authorization server metadata at ${url} lacks authorization_endpoint or token_endpoint (RFC 8414 §2)`);
  }
  return {
    issuer,
    authorizationEndpoint,
    tokenEndpoint,
    registrationEndpoint: stringMember(body, 'registration_endpoint'),
    dpopSigningAlgValuesSupported: body['dpop_signing_alg_values_supported'],
    codeChallengeMethodsSupported: stringArray(body['code_challenge_methods_supported']),
    authorizationResponseIssParameterSupported: body['authorization_response_iss_parameter_supported'] === true,
  };
}
