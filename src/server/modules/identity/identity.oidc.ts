import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import type { SignInFailureReason } from '../../../contract/audit-events.ts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Only for the embedded dev identity provider on http://localhost; config refuses http in production. */
  allowHttp: boolean;
  /** Discovery is re-fetched after this long (the JWKS is cached separately and refetched on an unknown kid). */
  discoveryTtlMs?: number;
}

export interface AuthorizationStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Step-up: force a fresh authentication, optionally at a given assurance level. */
export interface StepUpRequest {
  acrValues: string | null;
}

/** What the trusted-claims model says about token validation. */
export interface TokenPolicy {
  algorithms: readonly string[];
  clockSkewSeconds: number;
  /** For step-up: the authentication must be at most this old. */
  maxAgeSeconds?: number;
}

export interface VerifiedLogin {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
  idToken: string | null;
}

export type OidcErrorKind = Extract<
  SignInFailureReason,
  | 'idp_error'
  | 'idp_unreachable'
  | 'state_mismatch'
  | 'token_invalid'
  | 'issuer_mismatch'
  | 'audience_mismatch'
  | 'nonce_mismatch'
  | 'token_expired'
  | 'algorithm_unexpected'
  | 'signature_invalid'
>;

export class OidcError extends Error {
  readonly kind: OidcErrorKind;
  readonly idpError: string | undefined;
  constructor(kind: OidcErrorKind, message: string, idpError?: string) {
    super(message);
    this.kind = kind;
    this.idpError = idpError;
  }
}

/** Someone who wants to know whether the identity provider answers (break-glass gating, metrics). */
export interface IdpObserver {
  reachable(at: Date): void;
  unreachable(at: Date, message: string): void;
}

/**
 * openid-client errors → the reason a person and an auditor can read. openid-client wraps oauth4webapi's
 * error (with its code) in a ClientError whose cause is the original; the original's cause names the claim.
 */
export function classifyTokenError(err: unknown): OidcErrorKind {
  type Coded = { code?: string; message?: string; cause?: unknown };
  const outer = err as Coded;
  const inner = (outer.cause && typeof outer.cause === 'object' ? outer.cause : outer) as Coded;
  const code = outer.code ?? inner.code;
  const claim = (inner.cause as { claim?: string } | undefined)?.claim;
  const message = `${outer.message ?? ''} ${inner.message ?? ''}`;
  if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
    if (claim === 'iss') return 'issuer_mismatch';
    if (claim === 'aud' || claim === 'azp') return 'audience_mismatch';
    if (claim === 'nonce') return 'nonce_mismatch';
  }
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return 'token_expired';
  if (/signature verification failed/i.test(message) || code === 'OAUTH_KEY_SELECTION_FAILED')
    return 'signature_invalid';
  if (/"alg"/.test(message)) return 'algorithm_unexpected';
  if (code === 'OAUTH_HTTP_REQUEST_FORBIDDEN' || code === 'OAUTH_RESPONSE_IS_NOT_JSON')
    return 'idp_unreachable';
  if (isNetworkFailure(err)) return 'idp_unreachable';
  return 'token_invalid';
}

/** The provider never answered (refused, reset, timed out): not a bad token, an unreachable provider. */
function isNetworkFailure(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth += 1) {
    const { name, message, code } = e as { name?: unknown; message?: unknown; code?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError' || message === 'fetch failed') return true;
    if (typeof code === 'string' && /^(ECONN|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|UND_ERR_)/.test(code))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const MESSAGES: Record<OidcErrorKind, string> = {
  idp_error: 'The identity provider did not sign you in.',
  idp_unreachable: "We can't reach the identity provider right now.",
  state_mismatch: 'The sign-in response does not belong to this browser session.',
  token_invalid: 'The identity provider sent a sign-in token we cannot accept.',
  issuer_mismatch: 'The sign-in token comes from an identity provider this app does not trust.',
  audience_mismatch: 'The sign-in token was issued for a different application.',
  nonce_mismatch: 'The sign-in token does not belong to this sign-in attempt (it may be replayed).',
  token_expired: 'The sign-in token has expired or is not valid yet. Check your device clock and try again.',
  algorithm_unexpected: 'The sign-in token is signed with an algorithm this app does not accept.',
  signature_invalid: "The sign-in token's signature does not verify against the identity provider's keys.",
};

/** OAuth/OIDC error codes from the provider, in words a person can act on. */
const IDP_ERRORS: Record<string, string> = {
  access_denied:
    'Sign-in was cancelled, or the identity provider did not allow you into Builder Insights. If you expected access, ask your admin to assign the app to you.',
  login_required: 'The identity provider needs you to sign in again.',
  interaction_required: 'The identity provider needs you to complete a step in its sign-in page.',
  consent_required: 'The identity provider needs your consent before it lets you into Builder Insights.',
  account_selection_required: 'The identity provider needs you to choose an account.',
  unmet_authentication_requirements:
    'The identity provider could not verify you at the level this action needs (for example with MFA).',
  temporarily_unavailable: 'The identity provider is temporarily unavailable.',
  server_error: 'The identity provider had a problem signing you in.',
};

export function humanIdpError(code: string): string {
  return IDP_ERRORS[code] ?? `The identity provider did not sign you in (${code.slice(0, 100)}).`;
}

/**
 * The relying party: authorization code + PKCE (S256) + state + nonce against one trusted issuer. Discovery is
 * cached (re-fetched after discoveryTtlMs, and by probe()); a failed discovery is retried on the next use.
 * ID-token signatures are verified against the issuer's JWKS (enableNonRepudiationChecks; the key set is
 * cached and refetched when an unknown key id appears, which is how key rotation arrives). openid-client
 * checks iss, aud, exp, iat, nonce and the algorithm; we add the model's algorithm list and clock skew.
 */
export class OidcClient {
  readonly settings: OidcSettings;
  observer: IdpObserver | null = null;
  #config: Promise<oidc.Configuration> | null = null;
  #fetchedAt = 0;
  /** The same provider metadata with the model's clock tolerance (rebuilt when the model changes it). */
  #tolerant: { base: oidc.Configuration; seconds: number; config: oidc.Configuration } | null = null;

  constructor(settings: OidcSettings) {
    this.settings = settings;
  }

  #discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret, allowHttp } = this.settings;
    return oidc
      .discovery(new URL(issuer), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
        execute: allowHttp ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .then((config) => {
        oidc.enableNonRepudiationChecks(config);
        this.#fetchedAt = Date.now();
        this.observer?.reachable(new Date());
        return config;
      })
      .catch((err: unknown) => {
        this.observer?.unreachable(new Date(), err instanceof Error ? err.message : String(err));
        throw err;
      });
  }

  configuration(): Promise<oidc.Configuration> {
    const ttl = this.settings.discoveryTtlMs ?? 60 * 60 * 1000;
    if (!this.#config || Date.now() - this.#fetchedAt > ttl) {
      const pending = this.#discover();
      const previous = this.#config;
      this.#config = pending.catch((err: unknown) => {
        this.#config = null;
        throw err;
      });
      // While a refresh is in flight or failing, a previously discovered configuration keeps sign-in working.
      if (previous) return pending.catch(() => previous);
    }
    return this.#config;
  }

  /** Fetch discovery now (health probe): true when the provider answered; the cache is refreshed. */
  async probe(): Promise<boolean> {
    try {
      const config = await this.#discover();
      this.#config = Promise.resolve(config);
      return true;
    } catch {
      return false;
    }
  }

  async start(stepUp: StepUpRequest | null = null): Promise<AuthorizationStart> {
    const config = await this.configuration().catch((err: unknown) => {
      throw new OidcError('idp_unreachable', `${MESSAGES.idp_unreachable} (${String(err)})`);
    });
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const params: Record<string, string> = {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    if (stepUp) {
      params.prompt = 'login';
      params.max_age = '0';
      if (stepUp.acrValues) params.acr_values = stepUp.acrValues;
    }
    const url = oidc.buildAuthorizationUrl(config, params);
    return { url: url.href, state, nonce, codeVerifier };
  }

  /** Exchange the code from the callback URL; every check failure becomes an OidcError with a kind. */
  async finish(
    callbackQuery: string,
    expected: { state: string; nonce: string; codeVerifier: string },
    policy: TokenPolicy,
  ): Promise<VerifiedLogin> {
    const params = new URLSearchParams(callbackQuery);
    const idpError = params.get('error');
    if (idpError) throw new OidcError('idp_error', humanIdpError(idpError), idpError.slice(0, 100));
    if (params.get('state') !== expected.state) {
      throw new OidcError('state_mismatch', MESSAGES.state_mismatch);
    }
    let config = await this.configuration().catch((err: unknown) => {
      throw new OidcError('idp_unreachable', `${MESSAGES.idp_unreachable} (${String(err)})`);
    });
    config = this.#withTolerance(config, policy.clockSkewSeconds);
    const currentUrl = new URL(`${this.settings.redirectUri}?${callbackQuery}`);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
        ...(policy.maxAgeSeconds !== undefined ? { maxAge: policy.maxAgeSeconds } : {}),
      });
    } catch (err) {
      const kind = classifyTokenError(err);
      // The provider's own words help with a refused token; a network error's words help nobody on the page.
      if (kind === 'idp_unreachable')
        throw new OidcError(kind, `${MESSAGES[kind]} Try again in a few minutes.`);
      throw new OidcError(
        kind,
        `${MESSAGES[kind]} (${err instanceof Error ? err.message : 'token exchange failed'})`,
      );
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token)
      throw new OidcError('token_invalid', 'The identity provider returned no ID token.');
    const alg = decodeProtectedHeader(tokens.id_token).alg ?? 'none';
    if (!policy.algorithms.includes(alg)) {
      throw new OidcError('algorithm_unexpected', `${MESSAGES.algorithm_unexpected} (${alg})`);
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      claims: claims as Record<string, unknown>,
      idToken: tokens.id_token,
    };
  }

  #withTolerance(base: oidc.Configuration, seconds: number): oidc.Configuration {
    const cached = this.#tolerant;
    if (cached && cached.base === base && cached.seconds === seconds) return cached.config;
    const { clientId, clientSecret, allowHttp } = this.settings;
    const config = new oidc.Configuration(
      base.serverMetadata(),
      clientId,
      { client_secret: clientSecret, [oidc.clockTolerance]: seconds },
      oidc.ClientSecretBasic(clientSecret),
    );
    if (allowHttp) oidc.allowInsecureRequests(config);
    oidc.enableNonRepudiationChecks(config);
    config.timeout = base.timeout;
    // Share the key set cache, so a derived configuration does not refetch the JWKS.
    const jwks = oidc.getJwksCache(base);
    if (jwks) oidc.setJwksCache(config, jwks);
    this.#tolerant = { base, seconds, config };
    return config;
  }

  /** The issuer's key set URL, for verifying logout tokens. */
  async jwksUri(): Promise<string | null> {
    const config = await this.configuration();
    return config.serverMetadata().jwks_uri ?? null;
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
