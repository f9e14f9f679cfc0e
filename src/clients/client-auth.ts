import { calculateJwkThumbprint } from 'jose';
import { DPOP_ALG_PREFERENCE, selectDpopAlg } from './dpop-alg.ts';
import type { DpopAlg } from './dpop-alg.ts';
import { generateDpopKey, runKey } from './dpop-key.ts';
import type { DpopKey } from './dpop-key.ts';
import { NonceSlots } from './dpop-nonce.ts';
import type { NonceSlot } from './dpop-nonce.ts';
import { DpopProofSigner } from './dpop-proof.ts';
import { DpopClientError, QuietStop } from './errors.ts';
import type { FaultSet } from './faults.ts';
import { registerClient, requestAuthorizationCode } from './oauth-authorization.ts';
import { fetchAuthorizationServerMetadata, fetchProtectedResourceMetadata } from './oauth-metadata.ts';
import type { AuthorizationServerMetadata, NetContext } from './oauth-metadata.ts';
import type { ClientPolicy } from './policy.ts';
import type { TokenCache } from './token-cache.ts';
import { TokenEndpoint } from './token-endpoint.ts';
import type { TokenSet } from './token-endpoint.ts';
import { findChallenge } from './www-authenticate.ts';
import type { Challenge } from './www-authenticate.ts';

/** Everything learnt while setting up: fixed for the rest of the run. */
interface Setup {
  readonly metadata: AuthorizationServerMetadata;
  readonly clientId: string;
  readonly scope: string | null;
  readonly signer: DpopProofSigner;
  readonly tokenEndpoint: TokenEndpoint;
}

/** What the 401 that starts the flow told the client. */
export interface FirstChallenge {
  readonly challenges: readonly Challenge[];
  /** The URL of the request that was challenged (RFC 9728 §3.3 compares the metadata's `resource` with it). */
  readonly url: string;
}

/**
 * The client's OAuth state for one run: one DPoP key (RFC 9449 §5: a public
 * client refreshes with the key its tokens are bound to), one token lineage,
 * and its nonces (RFC 9449 §8, §9; one per server or per origin, by policy).
 * Setting up and renewing are single-flight, so requests racing on one 401
 * trigger one token request. With a persistent token cache, the run starts
 * with the cached token and key and sets up only when the server refuses it.
 */
export class ClientAuth {
  readonly nonces: NonceSlots;

  private setup: Setup | null = null;
  private token: TokenSet | null = null;
  private cachedSigner: DpopProofSigner | null = null;
  private settingUp: Promise<void> | null = null;
  private renewing: Promise<TokenSet> | null = null;
  private firstFailure: Error | null = null;
  /** Only used by the reuse-refresh-token fault. */
  private firstRefreshToken: string | null = null;
  private bearerOnly = false;

  constructor(
    /** The MCP server URL, also the RFC 8707 resource indicator. */
    readonly mcpUrl: string,
    private readonly faults: FaultSet,
    private readonly policy: ClientPolicy,
    private readonly net: NetContext,
    private readonly cache: TokenCache | null = null,
  ) {
    this.nonces = new NonceSlots(policy.nonceSlots);
    const cached = cache?.get(mcpUrl);
    if (cached) {
      this.token = cached.token;
      this.cachedSigner = new DpopProofSigner(cached.key, faults);
      net.log('starting with a token from the token cache');
    }
  }

  /** The MCP server's nonce slot (RFC 9449 §9). */
  mcpNonceFor(url: string | URL): NonceSlot {
    return this.nonces.slotFor('mcp', url);
  }

  get hasToken(): boolean {
    return this.token !== null;
  }

  get signer(): DpopProofSigner {
    const signer = this.setup?.signer ?? this.cachedSigner;
    if (signer === null) throw new Error('no DPoP key before authorization');
    return signer;
  }

  /**
   * Whether to present the bound token as `Bearer` without a proof: the
   * resource challenged with Bearer only and the policy takes RFC 9449 §7.2's
   * allowance (SEP-1932 does not).
   */
  get presentAsBearer(): boolean {
    return this.policy.bearerChallenge === 'bearer' && this.bearerOnly;
  }

  /** The first failure any request ran into; it explains later ones. */
  get failure(): Error | null {
    return this.firstFailure;
  }

  /** Records a failure that ends the run (a DPoP or OAuth error, or a quiet stop). */
  recordFailure(error: unknown): void {
    if (this.firstFailure === null && (error instanceof DpopClientError || error instanceof QuietStop)) {
      this.firstFailure = error;
    }
  }

  /** Throws the recorded failure, e.g. one from the background SSE stream. */
  throwIfFailed(): void {
    if (this.firstFailure !== null) throw this.firstFailure;
  }

  /**
   * Steps 2–6 of the flow, after the MCP server's first 401: discovery
   * (RFC 9728, RFC 8414), key choice (RFC 9449 §5.1), registration (RFC 7591),
   * authorization with PKCE (RFC 7636, RFC 8707) and the DPoP token request.
   */
  setUp(first: FirstChallenge): Promise<void> {
    if (this.setup !== null) return Promise.resolve();
    this.settingUp ??= this.runSetUp(first);
    return this.settingUp;
  }

  private async runSetUp({ challenges, url }: FirstChallenge): Promise<void> {
    const dpop = findChallenge(challenges, 'DPoP');
    const bearer = findChallenge(challenges, 'Bearer');
    if (dpop === undefined) {
      this.bearerOnly = bearer !== undefined;
      // SEP-1932 asks for DPoP-bound tokens whatever the challenge offers.
      this.net.log(`no DPoP challenge in the 401 (${challenges.map((c) => c.scheme).join(', ') || 'none'}); asking for a DPoP-bound token anyway`);
    } else {
      this.net.log(`DPoP challenge, algs: ${dpop.params.get('algs') ?? '(none listed)'}`);
    }
    // RFC 9728 §5.1: `resource_metadata` in the challenge; RFC 9449 §7.1 DPoP challenge first.
    const withMetadata = [dpop, bearer, ...challenges].find((c) => c?.params.has('resource_metadata'));
    const resourceMetadataUrl = withMetadata?.params.get('resource_metadata') ?? null;
    const prm = await fetchProtectedResourceMetadata(
      resourceMetadataUrl !== null ? new URL(resourceMetadataUrl, url).href : null,
      this.mcpUrl,
      this.net,
      this.policy.resourceCheck ? { challengedUrl: url } : null,
    );
    const issuer = prm.authorizationServers[0] ?? '';
    const metadata = await fetchAuthorizationServerMetadata(issuer, this.net);

    const signer = new DpopProofSigner(await runKey(this.chooseAlg(metadata)), this.faults);
    this.net.log(`DPoP key: ${signer.key.alg}`);
    const tokenEndpoint = new TokenEndpoint(metadata.tokenEndpoint, {
      signer,
      nonce: this.nonces.slotFor('as', metadata.tokenEndpoint),
      faults: this.faults,
      policy: this.policy,
      bindingRequired: prm.boundTokensRequired,
      net: this.net,
    });
    const clientId = await registerClient(metadata, this.net);
    // MCP scope selection: the challenge's scope, else what the resource supports.
    const scope = (dpop ?? bearer)?.params.get('scope') ?? prm.scopesSupported?.join(' ') ?? null;
    this.setup = { metadata, clientId, scope, signer, tokenEndpoint };
    this.keep(await this.authorizationCodeGrant(this.setup));
    this.net.log(`obtained a ${this.token?.bound === false ? 'bearer' : 'DPoP-bound'} access token`);
  }

  /** RFC 9449 §5.1: an advertised algorithm this client supports (ES256 only, by policy), or a clean stop. */
  private chooseAlg(metadata: AuthorizationServerMetadata): DpopAlg {
    // FAULT ignore-advertised-algs: ES256 whatever the server advertises.
    if (this.faults.has('ignore-advertised-algs')) return 'ES256';
    const supported: readonly DpopAlg[] = this.policy.algs === 'es256-only' ? ['ES256'] : DPOP_ALG_PREFERENCE;
    const alg = selectDpopAlg(metadata.dpopSigningAlgValuesSupported, supported);
    if (alg === null) {
      const advertised = JSON.stringify(metadata.dpopSigningAlgValuesSupported);
      throw new DpopClientError(`authorization server supports DPoP algs ${advertised}, none of which this client can use (${supported.join(', ')}) (RFC 9449 §5.1)`);
    }
    return alg;
  }

  /**
   * The token to present now. By policy it is renewed once it has expired,
   * after half its lifetime, or never ahead of an `invalid_token` (RFC 6749
   * §5.1 `expires_in`). A renewed token is used even if it is already due
   * again, so a tiny lifetime cannot cause a loop.
   */
  async currentToken(): Promise<TokenSet> {
    const token = this.token;
    if (token === null) throw new Error('no access token yet');
    if (this.policy.renewal === 'on-invalid-token' || token.expiresAt === null) return token;
    const due = this.policy.renewal === 'early' ? token.issuedAt + (token.expiresAt - token.issuedAt) / 2 : token.expiresAt;
    if (Date.now() >= due) {
      this.net.log(`access token ${this.policy.renewal === 'early' ? 'past half its lifetime' : 'expired'}; renewing it before use`);
      return this.renew(token);
    }
    return token;
  }

  /**
   * Replaces `stale` with a new token: a refresh_token grant with a proof of
   * the same key (RFC 9449 §5) when there is a refresh token and the policy
   * refreshes, else a new authorization. A client that started from its
   * cache and was refused sets up first, from `challenge`. If another
   * request already replaced `stale`, that replacement is returned without a
   * new token request.
   */
  renew(stale: TokenSet, challenge?: FirstChallenge): Promise<TokenSet> {
    if (this.token !== null && this.token !== stale) return Promise.resolve(this.token);
    if (this.renewing === null) {
      const renewal = this.obtainNewToken(stale, challenge);
      this.renewing = renewal;
      const clear = (): void => {
        this.renewing = null;
      };
      renewal.then(clear, clear);
    }
    return this.renewing;
  }

  private async obtainNewToken(stale: TokenSet, challenge: FirstChallenge | undefined): Promise<TokenSet> {
    if (this.setup === null) {
      // A cached token the server refused: start over as a new client would.
      if (challenge === undefined) throw new DpopClientError('the cached access token was refused and there is no challenge to start the flow from');
      await this.setUp(challenge);
      return this.token ?? stale;
    }
    const setup = this.setup;
    let next: TokenSet | null = null;
    if (stale.refreshToken !== null && this.policy.renewWith === 'refresh') {
      try {
        next = await this.refreshGrant(setup, stale.refreshToken);
      } catch (error) {
        // RFC 6749 §5.2: invalid_grant means the refresh token is dead; start over.
        if (!(error instanceof DpopClientError) || error.oauthError !== 'invalid_grant') throw error;
        this.net.log('refresh token rejected (invalid_grant); authorizing again');
      }
    }
    next ??= await this.authorizationCodeGrant(setup);
    this.keep(next);
    this.net.log('obtained a new access token');
    return next;
  }

  /** Takes `token` as the current one, and into the token cache when there is one. */
  private keep(token: TokenSet): void {
    this.token = token;
    this.firstRefreshToken ??= token.refreshToken;
    if (this.cache !== null && this.setup !== null) this.cache.set(this.mcpUrl, { key: this.setup.signer.key, token });
  }

  private async authorizationCodeGrant(setup: Setup): Promise<TokenSet> {
    const grant = await requestAuthorizationCode(
      setup.metadata,
      { clientId: setup.clientId, resource: this.resource, scope: setup.scope, dpopJkt: await this.dpopJkt(setup.signer.key) },
      this.net,
    );
    return setup.tokenEndpoint.request(
      new URLSearchParams({
        grant_type: 'authorization_code',
        code: grant.code,
        redirect_uri: grant.redirectUri,
        code_verifier: grant.codeVerifier,
        client_id: setup.clientId,
        resource: this.resource,
      }),
    );
  }

  /** RFC 9449 §10: the thumbprint of the key that will prove the code exchange, when the policy binds the code. */
  private async dpopJkt(key: DpopKey): Promise<string | null> {
    if (!this.policy.dpopJkt) return null;
    // FAULT dpop-jkt-other-key: the thumbprint of a key that never signs anything.
    const named = this.faults.has('dpop-jkt-other-key') ? await generateDpopKey(key.alg) : key;
    return calculateJwkThumbprint(named.publicJwk, 'sha256');
  }

  private async refreshGrant(setup: Setup, refreshToken: string): Promise<TokenSet> {
    // FAULT reuse-refresh-token: the first refresh token, however often it was rotated since.
    const presented = this.faults.has('reuse-refresh-token') ? (this.firstRefreshToken ?? refreshToken) : refreshToken;
    const token = await setup.tokenEndpoint.request(
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: presented,
        client_id: setup.clientId,
        resource: this.resource,
      }),
    );
    // RFC 6749 §6: without a new refresh token, the old one stays valid.
    return token.refreshToken !== null ? token : { ...token, refreshToken };
  }

  /** RFC 8707 §2: the resource indicator is the MCP URL, without a fragment. */
  private get resource(): string {
    const url = new URL(this.mcpUrl);
    url.hash = '';
    return url.href;
  }
}
