import { DEFAULT_DPOP_ALG, DPOP_ALG_PREFERENCE, selectDpopAlg } from './dpop-alg.ts';
import { generateDpopKey } from './dpop-key.ts';
import { NonceSlot } from './dpop-nonce.ts';
import { DpopProofSigner } from './dpop-proof.ts';
import { DpopClientError, QuietStop } from './errors.ts';
import type { FaultSet } from './faults.ts';
import { registerClient, requestAuthorizationCode } from './oauth-authorization.ts';
import { fetchAuthorizationServerMetadata, fetchProtectedResourceMetadata } from './oauth-metadata.ts';
import type { AuthorizationServerMetadata, NetContext } from './oauth-metadata.ts';
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

/**
 * The client's OAuth state for one run: one DPoP key (RFC 9449 §5: a public
 * client refreshes with the key its tokens are bound to), one token lineage,
 * and one nonce per server (RFC 9449 §9). Setting up and renewing are
 * single-flight, so requests racing on one 401 trigger one token request.
 */
export class ClientAuth {
  /** The MCP server's nonce (RFC 9449 §9), kept apart from the authorization server's. */
  readonly mcpNonce = new NonceSlot('mcp');
  /** The authorization server's nonce (RFC 9449 §8). */
  readonly asNonce = new NonceSlot('as');

  private setup: Setup | null = null;
  private token: TokenSet | null = null;
  private settingUp: Promise<void> | null = null;
  private renewing: Promise<TokenSet> | null = null;
  private firstFailure: Error | null = null;

  constructor(
    /** The MCP server URL, also the RFC 8707 resource indicator. */
    readonly mcpUrl: string,
    private readonly faults: FaultSet,
    private readonly net: NetContext,
  ) {}

  get hasToken(): boolean {
    return this.token !== null;
  }

  get signer(): DpopProofSigner {
    if (this.setup === null) throw new Error('no DPoP key before authorization');
    return this.setup.signer;
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
  setUp(challenges: readonly Challenge[]): Promise<void> {
    if (this.token !== null) return Promise.resolve();
    this.settingUp ??= this.runSetUp(challenges);
    return this.settingUp;
  }

  private async runSetUp(challenges: readonly Challenge[]): Promise<void> {
    const dpop = findChallenge(challenges, 'DPoP');
    const bearer = findChallenge(challenges, 'Bearer');
    if (dpop === undefined) {
      // SEP-1932 asks for DPoP-bound tokens whatever the challenge offers.
      this.net.log(`no DPoP challenge in the 401 (${challenges.map((c) => c.scheme).join(', ') || 'none'}); asking for a DPoP-bound token anyway`);
    } else {
      this.net.log(`DPoP challenge, algs: ${dpop.params.get('algs') ?? '(none listed)'}`);
    }
    // RFC 9728 §5.1: `resource_metadata` in the challenge; RFC 9449 §7.1 DPoP challenge first.
    const withMetadata = [dpop, bearer, ...challenges].find((c) => c?.params.has('resource_metadata'));
    const resourceMetadataUrl = withMetadata?.params.get('resource_metadata') ?? null;
    const prm = await fetchProtectedResourceMetadata(
      resourceMetadataUrl !== null ? new URL(resourceMetadataUrl, this.mcpUrl).href : null,
      this.mcpUrl,
      this.net,
    );
    const issuer = prm.authorizationServers[0] ?? '';
    const metadata = await fetchAuthorizationServerMetadata(issuer, this.net);

    // FAULT ignore-advertised-algs: ES256 whatever the server advertises.
    const alg = this.faults.has('ignore-advertised-algs') ? DEFAULT_DPOP_ALG : selectDpopAlg(metadata.dpopSigningAlgValuesSupported);
    if (alg === null) {
      const advertised = JSON.stringify(metadata.dpopSigningAlgValuesSupported);
      throw new DpopClientError(
        `authorization server supports DPoP algs ${advertised}, none of which this client can use ` +
          `(${DPOP_ALG_PREFERENCE.join(', ')}) (RFC 9449 §5.1)`,
      );
    }
    const signer = new DpopProofSigner(await generateDpopKey(alg), this.faults);
    this.net.log(`DPoP key: ${alg}`);
    const tokenEndpoint = new TokenEndpoint(metadata.tokenEndpoint, signer, this.asNonce, this.faults, this.net);
    const clientId = await registerClient(metadata, this.net);
    // MCP scope selection: the challenge's scope, else what the resource supports.
    const scope = (dpop ?? bearer)?.params.get('scope') ?? prm.scopesSupported?.join(' ') ?? null;
    this.setup = { metadata, clientId, scope, signer, tokenEndpoint };
    this.token = await this.authorizationCodeGrant(this.setup);
    this.net.log('obtained a DPoP-bound access token');
  }

  /**
   * The token to present now. An access token past its `expires_in` is
   * renewed first (RFC 6749 §5.1, §6); the result is used even if it is
   * already expired again, so a tiny lifetime cannot cause a loop.
   */
  async currentToken(): Promise<TokenSet> {
    const token = this.token;
    if (token === null) throw new Error('no access token yet');
    if (token.expiresAt !== null && Date.now() >= token.expiresAt) {
      this.net.log('access token expired; renewing it before use');
      return this.renew(token);
    }
    return token;
  }

  /**
   * Replaces `stale` with a new DPoP-bound token: a refresh_token grant with a
   * proof of the same key (RFC 9449 §5) when there is a refresh token, else a
   * new authorization. If another request already replaced `stale`, that
   * replacement is returned without a new token request.
   */
  renew(stale: TokenSet): Promise<TokenSet> {
    if (this.token !== null && this.token !== stale) return Promise.resolve(this.token);
    if (this.renewing === null) {
      const renewal = this.obtainNewToken(stale);
      this.renewing = renewal;
      const clear = (): void => {
        this.renewing = null;
      };
      renewal.then(clear, clear);
    }
    return this.renewing;
  }

  private async obtainNewToken(stale: TokenSet): Promise<TokenSet> {
    const setup = this.setup;
    if (setup === null) throw new Error('cannot renew before authorization');
    let next: TokenSet | null = null;
    if (stale.refreshToken !== null) {
      try {
        next = await this.refreshGrant(setup, stale.refreshToken);
      } catch (error) {
        // RFC 6749 §5.2: invalid_grant means the refresh token is dead; start over.
        if (!(error instanceof DpopClientError) || error.oauthError !== 'invalid_grant') throw error;
        this.net.log('refresh token rejected (invalid_grant); authorizing again');
      }
    }
    next ??= await this.authorizationCodeGrant(setup);
    this.token = next;
    this.net.log('obtained a new DPoP-bound access token');
    return next;
  }

  private async authorizationCodeGrant(setup: Setup): Promise<TokenSet> {
    const grant = await requestAuthorizationCode(
      setup.metadata,
      { clientId: setup.clientId, resource: this.resource, scope: setup.scope },
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

  private async refreshGrant(setup: Setup, refreshToken: string): Promise<TokenSet> {
    const token = await setup.tokenEndpoint.request(
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
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
