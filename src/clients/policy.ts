/**
 * The choices RFC 9449, RFC 6749/6750, RFC 9728 and SEP-1932 leave to a
 * client. The reference client takes each one as a knob, and every
 * combination is conformant: a judge that fails one of them blames a legal
 * choice. (`bearerChallenge: 'bearer'` is legal under RFC 9449 §7.2 but not
 * under SEP-1932, so it goes with `--profile rfc9449`; see `profileFor`.)
 */
export interface ClientPolicy {
  /**
   * RFC 9449 §8, §9: one nonce per server, or one per origin. The two differ
   * only when the authorization server and the MCP server share an origin,
   * where "the server" of §9 is ambiguous.
   */
  readonly nonceSlots: 'per-server' | 'per-origin';
  /** RFC 9449 §8: consecutive nonce retries of one request before giving up (retries are bounded; one is enough). */
  readonly nonceRetries: 1 | 2;
  /**
   * RFC 9449 §5: a token the authorization server typed `Bearer` (it declined
   * to bind) is refused, or used as a bearer token (RFC 6750) unless the
   * resource requires DPoP-bound tokens (RFC 9728 §2).
   */
  readonly bearerTokens: 'refuse' | 'use-unless-required';
  /**
   * RFC 6749 §5.1 `expires_in`: renew the token once it has expired, ahead of
   * expiry (after half its lifetime), or only when the resource answers
   * `invalid_token` (RFC 6750 §3.1).
   */
  readonly renewal: 'at-expiry' | 'early' | 'on-invalid-token';
  /** Renew with the refresh token (RFC 6749 §6) or with a new authorization (§4.1). */
  readonly renewWith: 'refresh' | 'reauthorize';
  /** The calls of one plan step at the same time, or one after another. */
  readonly steps: 'concurrent' | 'sequential';
  /**
   * RFC 9110 §15.4.8, §15.4.9: follow a same-origin 307/308 (with a new proof
   * for the new URL, RFC 9449 §4.2) or refuse redirects and stop.
   */
  readonly redirects: 'follow-same-origin' | 'refuse';
  /** RFC 9449 §5.1: any advertised algorithm the client supports, or ES256 only (stopping cleanly when it is not advertised). */
  readonly algs: 'any-advertised' | 'es256-only';
  /**
   * Keep the token and its key across runs, keyed by MCP URL (a long-lived
   * client), or in memory for one run. A cached token the server no longer
   * knows is answered `invalid_token`, and the client authorizes again.
   */
  readonly tokenCache: 'memory' | 'persistent';
  /** RFC 9449 §10: bind the authorization code to the key with `dpop_jkt`. */
  readonly dpopJkt: boolean;
  /**
   * RFC 9728 §3.3: use the protected resource metadata only when its
   * `resource` is the URL it was fetched for.
   */
  readonly resourceCheck: boolean;
  /**
   * After a challenge that offers no DPoP scheme: keep presenting the bound
   * token with `DPoP` (SEP-1932), or present it with `Bearer` and no proof as
   * RFC 9449 §7.2 allows (legal under `--profile rfc9449` only).
   */
  readonly bearerChallenge: 'dpop' | 'bearer';
}

/** The reference client's own choices. */
export const DEFAULT_POLICY: ClientPolicy = {
  nonceSlots: 'per-server',
  nonceRetries: 2,
  bearerTokens: 'refuse',
  renewal: 'at-expiry',
  renewWith: 'refresh',
  steps: 'concurrent',
  redirects: 'follow-same-origin',
  algs: 'any-advertised',
  tokenCache: 'memory',
  dpopJkt: true,
  resourceCheck: true,
  bearerChallenge: 'dpop',
};

/** Every value each knob takes, default first. */
export const POLICY_CHOICES: { readonly [K in keyof ClientPolicy]: readonly ClientPolicy[K][] } = {
  nonceSlots: ['per-server', 'per-origin'],
  nonceRetries: [2, 1],
  bearerTokens: ['refuse', 'use-unless-required'],
  renewal: ['at-expiry', 'early', 'on-invalid-token'],
  renewWith: ['refresh', 'reauthorize'],
  steps: ['concurrent', 'sequential'],
  redirects: ['follow-same-origin', 'refuse'],
  algs: ['any-advertised', 'es256-only'],
  tokenCache: ['memory', 'persistent'],
  dpopJkt: [true, false],
  resourceCheck: [true, false],
  bearerChallenge: ['dpop', 'bearer'],
};

const KNOBS = Object.keys(POLICY_CHOICES) as (keyof ClientPolicy)[];

/** The judge profile a policy is conformant under: `rfc9449` when it answers Bearer challenges with Bearer. */
export function profileFor(policy: ClientPolicy): 'sep-1932' | 'rfc9449' {
  return policy.bearerChallenge === 'bearer' ? 'rfc9449' : 'sep-1932';
}

/** `knob=value,…` for the knobs that differ from the default (empty for the default policy). */
export function formatPolicy(policy: ClientPolicy): string {
  return KNOBS.filter((k) => policy[k] !== DEFAULT_POLICY[k])
    .map((k) => `${k}=${String(policy[k])}`)
    .join(',');
}

/** Reads `knob=value,…` (as `formatPolicy` writes it); unknown knobs and values are errors that list the valid ones. */
export function parsePolicy(text: string): ClientPolicy {
  const policy: Record<string, unknown> = { ...DEFAULT_POLICY };
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name = '', value = ''] = item.split('=', 2);
    if (!(KNOBS as string[]).includes(name)) throw new Error(`unknown policy knob ${JSON.stringify(name)}; knobs: ${KNOBS.join(', ')}`);
    const choices = POLICY_CHOICES[name as keyof ClientPolicy] as readonly unknown[];
    const chosen = choices.find((c) => String(c) === value);
    if (chosen === undefined) throw new Error(`policy knob ${name} takes ${choices.map(String).join(' | ')}, not ${JSON.stringify(value)}`);
    policy[name] = chosen;
  }
  return policy as unknown as ClientPolicy;
}
