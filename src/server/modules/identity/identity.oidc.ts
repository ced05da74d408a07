import * as oidc from 'openid-client';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Only for the embedded dev identity provider on http://localhost; config refuses http in production. */
  allowHttp: boolean;
}

export interface AuthorizationStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface VerifiedLogin {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
  idToken: string | null;
}

export class OidcError extends Error {
  readonly kind: 'idp_error' | 'state_mismatch' | 'token_invalid';
  readonly idpError: string | undefined;
  constructor(kind: OidcError['kind'], message: string, idpError?: string) {
    super(message);
    this.kind = kind;
    this.idpError = idpError;
  }
}

/**
 * The relying party: authorization code + PKCE (S256) + state + nonce against one trusted issuer. Discovery
 * happens on first use and is cached (a failed discovery is retried on the next sign-in, not cached).
 * openid-client checks the ID token's signature (JWKS, cached with rotation), iss, aud, exp, iat and nonce.
 */
export class OidcClient {
  readonly settings: OidcSettings;
  #config: Promise<oidc.Configuration> | null = null;

  constructor(settings: OidcSettings) {
    this.settings = settings;
  }

  configuration(): Promise<oidc.Configuration> {
    if (!this.#config) {
      const { issuer, clientId, clientSecret, allowHttp } = this.settings;
      this.#config = oidc
        .discovery(new URL(issuer), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
          execute: allowHttp ? [oidc.allowInsecureRequests] : [],
          timeout: 10,
        })
        .catch((err: unknown) => {
          this.#config = null;
          throw err;
        });
    }
    return this.#config;
  }

  async start(): Promise<AuthorizationStart> {
    const config = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  /** Exchange the code from the callback URL; every check failure becomes an OidcError with a kind. */
  async finish(
    callbackQuery: string,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<VerifiedLogin> {
    const config = await this.configuration();
    const params = new URLSearchParams(callbackQuery);
    const idpError = params.get('error');
    if (idpError) {
      throw new OidcError('idp_error', params.get('error_description') ?? idpError, idpError);
    }
    if (params.get('state') !== expected.state) {
      throw new OidcError('state_mismatch', 'The sign-in response does not belong to this browser session.');
    }
    const currentUrl = new URL(`${this.settings.redirectUri}?${callbackQuery}`);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new OidcError('token_invalid', err instanceof Error ? err.message : 'token exchange failed');
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcError('token_invalid', 'The identity provider returned no ID token.');
    return {
      issuer: claims.iss,
      subject: claims.sub,
      claims: claims as Record<string, unknown>,
      idToken: tokens.id_token ?? null,
    };
  }

  /** RP-initiated logout URL, or null when the provider has no end-session endpoint. */
  async endSessionUrl(idToken: string | null): Promise<string | null> {
    const config = await this.configuration().catch(() => null);
    if (!config?.serverMetadata().end_session_endpoint) return null;
    const params: Record<string, string> = {
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
      client_id: this.settings.clientId,
    };
    if (idToken) params.id_token_hint = idToken;
    return oidc.buildEndSessionUrl(config, params).href;
  }
}
