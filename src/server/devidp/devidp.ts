import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml, page } from '../http/html.ts';
import { displayName, loadWorkforce, type WorkforcePerson } from './workforce.ts';

/**
 * The embedded dev identity provider: a real, certified OpenID Provider (oidc-provider) over the demo workforce
 * directory, for local runs and tests only. Its login screen lets you pick a person; there are no passwords.
 * It refuses to start in production.
 */
export interface DevIdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** The app's OIDC back-channel logout endpoint (the provider POSTs logout tokens there). */
  backchannelLogoutUri?: string;
  /** The app's Okta Universal Logout endpoint (the dev provider can emit a signed request to it). */
  universalLogoutUri?: string;
}

export interface DevIdpOptions {
  env: 'development' | 'test' | 'production';
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Host name the issuer URL uses (browsers must reach it): e.g. localhost or 127.0.0.1. */
  publicHost: string;
  clients: DevIdpClient[];
}

export interface DevIdp {
  issuer: string;
  /** Sign and send a global logout for a person to every client that registered the endpoint. */
  emitLogout(sub: string, mechanism: LogoutMechanism, options?: { sid?: string }): Promise<LogoutDelivery[]>;
  /** Sign a logout token without sending it (tests tamper with what they send). */
  signLogoutToken(
    sub: string,
    mechanism: LogoutMechanism,
    clientId: string,
    claims?: Record<string, unknown>,
  ): Promise<string>;
  close(): Promise<void>;
}

export type LogoutMechanism = 'universal' | 'backchannel';
export interface LogoutDelivery {
  clientId: string;
  url: string;
  status: number;
}

/** Okta-style assurance levels the dev provider can assert (acr) when a step-up asks for them. */
export const DEV_ACR = { password: 'urn:okta:loa:1fa:pwd', mfa: 'urn:okta:loa:2fa:any' } as const;

const DEV_SCOPES = 'openid email profile groups';
const MAX_FORM_BYTES = 4096;

function accountClaims(person: WorkforcePerson) {
  return {
    sub: person.sub,
    email: person.email,
    email_verified: true,
    name: displayName(person),
    given_name: person.givenName,
    family_name: person.familyName,
    groups: person.groups,
    employee_number: person.employeeNumber,
  };
}

function configuration(clients: DevIdpClient[], jwk: Record<string, unknown>): Configuration {
  const bySub = new Map(loadWorkforce().map((p) => [p.sub, p]));
  return {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      // auth_time in every ID token: the app's step-up and session policy read it.
      require_auth_time: true,
      ...(c.backchannelLogoutUri
        ? { backchannel_logout_uri: c.backchannelLogoutUri, backchannel_logout_session_required: true }
        : {}),
    })),
    acrValues: [DEV_ACR.password, DEV_ACR.mfa],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      // How the person authenticated travels with every ID token, as Okta's amr claim does.
      openid: ['sub', 'amr', 'acr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'employee_number'],
      groups: ['groups'],
    },
    // Put the scoped claims in the ID token itself, as Okta does with groups claims configured.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const person = bySub.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => accountClaims(person) };
    },
    pkce: { required: () => true },
    // Explicit lifetimes (seconds). Provider state lives in memory: restarting the dev server signs people
    // out of the dev IdP, never out of the app (app sessions live in the database).
    ttl: {
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      IdToken: 3600,
      AccessToken: 600,
    },
    features: {
      devInteractions: { enabled: false },
      // Signing out at the provider sends logout tokens to every client that registered an endpoint.
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            'Sign out',
            `<h1>Dev identity provider</h1><p>Sign out of the dev identity provider too?</p>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page(
            'Signed out',
            '<h1>Signed out</h1><p>You have signed out of the dev identity provider.</p>',
          );
        },
      },
    },
    // First-party app: consent is implied, as it is for an Okta app assigned to the person.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const client = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(DEV_SCOPES);
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<h1>Dev identity provider error</h1>${Object.entries(out)
          .map(([k, v]) => `<p><strong>${escapeHtml(k)}</strong>: ${escapeHtml(String(v))}</p>`)
          .join('')}`,
      );
    },
  };
}

function pickerPage(uid: string, clientId: string, stepUp: { prompt: boolean; acr: string | null }): string {
  const people = loadWorkforce();
  const rows = people
    .map(
      (
        p,
      ) => `<li><button type="submit" name="sub" value="${escapeHtml(p.sub)}" data-email="${escapeHtml(p.email)}">Sign in as ${escapeHtml(displayName(p))}</button>
<span class="muted">${escapeHtml(p.title)} · ${escapeHtml(p.groups.join(', '))}</span></li>`,
    )
    .join('\n');
  return page(
    'Dev sign-in',
    `<h1>Dev identity provider</h1>
<p>Signing in to <strong>${escapeHtml(clientId)}</strong>. Pick a demo person — development only, no passwords.</p>
${stepUp.prompt ? `<p class="notice" data-step-up="true"><strong>Re-authentication requested</strong> by the app${stepUp.acr ? ` at level <code>${escapeHtml(stepUp.acr)}</code>` : ''}: choose "Password + MFA" to satisfy an MFA step-up.</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<p><label>Authentication <select name="auth">
<option value="enrolled">As the person is enrolled (MFA for privileged people)</option>
<option value="pwd">Password only</option><option value="mfa">Password + MFA</option></select></label></p>
<ul style="list-style:none;padding:0;display:grid;gap:.5rem">${rows}</ul></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel sign-in</button></form>`,
  );
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function handleInteraction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse) {
  const [, , uid, action] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET' && !action) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    const acr = typeof details.params.acr_values === 'string' ? details.params.acr_values : null;
    res.end(
      pickerPage(details.uid, String(details.params.client_id), {
        prompt: details.prompt.name === 'login' && details.prompt.reasons.some((r) => r !== 'no_session'),
        acr,
      }),
    );
    return;
  }
  if (req.method === 'POST' && action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'The person cancelled sign-in.',
    });
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const person = loadWorkforce().find((p) => p.sub === form.get('sub'));
    if (!person) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('Unknown person');
      return;
    }
    const auth = form.get('auth') ?? 'enrolled';
    const mfa = auth === 'mfa' || (auth === 'enrolled' && person.mfa);
    await provider.interactionFinished(
      req,
      res,
      {
        login: {
          accountId: person.sub,
          amr: mfa ? ['pwd', 'mfa'] : ['pwd'],
          acr: mfa ? DEV_ACR.mfa : DEV_ACR.password,
          remember: false,
        },
      },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  res.writeHead(405, { 'content-type': 'text/plain' });
  res.end('Method not allowed');
}

/** A dev-only page that sends Universal Logout or back-channel logout for a person to the app. */
async function handleGlobalLogout(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  emit: (sub: string, mechanism: LogoutMechanism) => Promise<LogoutDelivery[]>,
) {
  let result = '';
  if (req.method === 'POST') {
    const form = await readForm(req);
    const person = loadWorkforce().find((p) => p.sub === form.get('sub'));
    const mechanism = form.get('mechanism') === 'backchannel' ? 'backchannel' : 'universal';
    if (!person) throw new Error('unknown person');
    const deliveries = await emit(person.sub, mechanism);
    result = `<p class="notice">Sent ${mechanism} logout for ${escapeHtml(displayName(person))}: ${
      deliveries.map((d) => `${escapeHtml(d.url)} → ${d.status}`).join(', ') ||
      'no client registered an endpoint'
    }</p>`;
  }
  const options = loadWorkforce()
    .map((p) => `<option value="${escapeHtml(p.sub)}">${escapeHtml(displayName(p))}</option>`)
    .join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    page(
      'Global logout',
      `<h1>Dev identity provider: global logout</h1>${result}
<p>Ends every Builder Insights session of a person, as Okta does when an admin signs someone out everywhere.</p>
<form method="post" action="/dev/global-logout"><p><label>Person <select name="sub">${options}</select></label></p>
<p><label>Mechanism <select name="mechanism"><option value="universal">Okta Universal Logout</option>
<option value="backchannel">OIDC back-channel logout</option></select></label></p>
<button type="submit">Sign this person out everywhere</button></form>`,
    ),
  );
}

export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  if (options.env === 'production') {
    throw new Error(
      'The dev identity provider never runs in production. Set OIDC_ISSUER to your Okta issuer.',
    );
  }
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${options.publicHost}:${port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    alg: 'RS256',
    use: 'sig',
    kid: randomBytes(8).toString('hex'),
  };
  const provider = new Provider(issuer, configuration(options.clients, jwk));
  const signingKey = await importJWK(jwk, 'RS256');

  const signLogoutToken = async (
    sub: string,
    mechanism: LogoutMechanism,
    clientId: string,
    claims: Record<string, unknown> = {},
  ): Promise<string> => {
    const client = options.clients.find((c) => c.clientId === clientId);
    const audience = mechanism === 'universal' ? (client?.universalLogoutUri ?? '') : clientId;
    const body =
      mechanism === 'backchannel'
        ? { sub, events: { 'http://schemas.openid.net/event/backchannel-logout': {} }, ...claims }
        : { ...claims };
    return new SignJWT(body)
      .setProtectedHeader({
        alg: 'RS256',
        kid: String(jwk.kid),
        typ: mechanism === 'backchannel' ? 'logout+jwt' : 'JWT',
      })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomBytes(16).toString('hex'))
      .sign(signingKey);
  };

  const emitLogout = async (sub: string, mechanism: LogoutMechanism, extra: { sid?: string } = {}) => {
    const deliveries: LogoutDelivery[] = [];
    for (const client of options.clients) {
      const url = mechanism === 'universal' ? client.universalLogoutUri : client.backchannelLogoutUri;
      if (!url) continue;
      const token = await signLogoutToken(
        sub,
        mechanism,
        client.clientId,
        extra.sid ? { sid: extra.sid } : {},
      );
      const response =
        mechanism === 'universal'
          ? await fetch(url, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ sub_id: { format: 'iss_sub', iss: issuer, sub } }),
            })
          : await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ logout_token: token }).toString(),
            });
      deliveries.push({ clientId: client.clientId, url, status: response.status });
    }
    return deliveries;
  };
  provider.on('server_error', (_ctx, err) => console.error(`dev identity provider error: ${err.message}`));
  const callback = provider.callback();

  server.on('request', (req, res) => {
    if (req.url === '/dev/global-logout') {
      handleGlobalLogout(req, res, emitLogout).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`Global logout failed: ${err.message}`);
      });
      return;
    }
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(provider, req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`Sign-in interaction failed: ${err.message}. Start again from the app.`);
      });
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    emitLogout,
    signLogoutToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
