import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import { DEV_CLIENT } from '../../src/server/config.ts';
import { auditEvents, sessions } from '../../src/server/db/schema.ts';
import { startFakeOp } from '../helpers/fake-op.ts';
import { personFor, type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Global logout driven by the identity provider, with JWTs signed by the dev provider's key set (trusted) and
 * by a key set of our own (not trusted).
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;
const ul = () => `${stack.baseUrl}/auth/universal-logout`;
const lastAudit = async (action: string) =>
  (await db().select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(auditEvents.seq)).at(
    -1,
  );
const alive = async (session: Session) => (await session.get('/api/v1/me')).status === 200;

function postUniversal(token: string | null, body: unknown) {
  return fetch(ul(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}
function postBackchannel(token: string) {
  return fetch(`${stack.baseUrl}/auth/backchannel-logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ logout_token: token }).toString(),
  });
}

/** A key set the app does not trust: tokens signed with it must be refused even when every claim is right. */
async function rogueToken(claims: Record<string, unknown>, audience: string, typ = 'JWT') {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = (await exportJWK(privateKey)).n?.slice(0, 8) ?? 'rogue';
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid, typ })
    .setIssuer(stack.idp.issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(crypto.randomUUID())
    .sign(privateKey);
}

describe('Okta Universal Logout', () => {
  it('ends every session and API token of the person (204), audited', async () => {
    const phone = await stack.signIn('Ari');
    const laptop = await stack.signIn('Ari');
    const created = await laptop.post('/api/v1/tokens', {
      name: 'script',
      scopes: ['insights:read'],
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const bystander = await stack.signIn('Ben');

    const [delivery] = await stack.idp.emitLogout(personFor('Ari').sub, 'universal');
    expect(delivery?.status).toBe(204);
    expect(await alive(phone)).toBe(false);
    expect(await alive(laptop)).toBe(false);
    expect(await alive(bystander)).toBe(true);
    const withToken = await fetch(`${stack.baseUrl}/api/v1/insights`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withToken.status).toBe(401);
    expect((await lastAudit('auth.global_logout'))?.details).toMatchObject({
      mechanism: 'universal_logout',
      sessionsEnded: 2,
      tokensRevoked: 1,
    });
    expect((await lastAudit('auth.session.ended'))?.details).toMatchObject({ reason: 'universal_logout' });
  });

  it('accepts the email subject format', async () => {
    const camila = await stack.signIn('Camila');
    const token = await stack.idp.signLogoutToken(personFor('Camila').sub, 'universal', DEV_CLIENT.id);
    const response = await postUniversal(token, {
      sub_id: { format: 'email', email: personFor('Camila').email },
    });
    expect(response.status).toBe(204);
    expect(await alive(camila)).toBe(false);
  });

  it('refuses a missing, foreign-signed, mis-addressed or replayed token (401), audited, nothing ended', async () => {
    const jordan = await stack.signIn('Jordan');
    const subject = { sub_id: { format: 'iss_sub', iss: stack.idp.issuer, sub: personFor('Jordan').sub } };
    expect((await postUniversal(null, subject)).status).toBe(401);
    expect((await postUniversal(await rogueToken({}, ul()), subject)).status).toBe(401);
    const wrongAudience = await stack.idp.signLogoutToken(
      personFor('Jordan').sub,
      'backchannel',
      DEV_CLIENT.id,
    );
    expect((await postUniversal(wrongAudience, subject)).status).toBe(401);
    expect(await alive(jordan)).toBe(true);
    const failure = await lastAudit('auth.global_logout');
    expect(failure?.outcome).toBe('failure');

    const good = await stack.idp.signLogoutToken(personFor('Jordan').sub, 'universal', DEV_CLIENT.id);
    expect((await postUniversal(good, subject)).status).toBe(204);
    expect(await alive(jordan)).toBe(false);
    expect((await postUniversal(good, subject)).status).toBe(401); // replay
  });

  it('answers 400 for a subject in another issuer or an unknown format', async () => {
    const token = await stack.idp.signLogoutToken(personFor('Ben').sub, 'universal', DEV_CLIENT.id);
    const foreign = await postUniversal(token, {
      sub_id: { format: 'iss_sub', iss: 'https://evil.example', sub: 'x' },
    });
    expect(foreign.status).toBe(400);
    const unknown = await postUniversal(token, { sub_id: { format: 'phone', phone: '1' } });
    expect(unknown.status).toBe(400);
  });
});

describe('OIDC back-channel logout', () => {
  it('ends only the session whose IdP sid the token names', async () => {
    const first = await stack.signIn('Fatima');
    const second = await stack.signIn('Fatima');
    const firstId = (await first.json<Me>('/api/v1/me')).session.id;
    const [row] = await db().select().from(sessions).where(eq(sessions.id, firstId));
    expect(row?.idpSid).toBeTruthy();
    const [delivery] = await stack.idp.emitLogout(personFor('Fatima').sub, 'backchannel', {
      sid: row?.idpSid ?? '',
    });
    expect(delivery?.status).toBe(200);
    expect(await alive(first)).toBe(false);
    expect(await alive(second)).toBe(true);
    expect((await lastAudit('auth.session.ended'))?.details).toMatchObject({ reason: 'backchannel_logout' });
  });

  it('ends every session of the subject when no sid is given', async () => {
    const a = await stack.signIn('Gustav');
    const b = await stack.signIn('Gustav');
    const [delivery] = await stack.idp.emitLogout(personFor('Gustav').sub, 'backchannel');
    expect(delivery?.status).toBe(200);
    expect(await alive(a)).toBe(false);
    expect(await alive(b)).toBe(false);
    expect((await lastAudit('auth.global_logout'))?.details).toMatchObject({
      mechanism: 'backchannel_logout',
      sessionsEnded: 2,
    });
  });

  it('refuses a token with a nonce, without the logout event, signed by another key set, or replayed', async () => {
    const hannah = await stack.signIn('Hannah');
    const sub = personFor('Hannah').sub;
    const withNonce = await stack.idp.signLogoutToken(sub, 'backchannel', DEV_CLIENT.id, { nonce: 'n' });
    expect((await postBackchannel(withNonce)).status).toBe(400);
    const noEvent = await stack.idp.signLogoutToken(sub, 'backchannel', DEV_CLIENT.id, { events: {} });
    expect((await postBackchannel(noEvent)).status).toBe(400);
    const rogue = await rogueToken(
      { sub, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } },
      DEV_CLIENT.id,
      'logout+jwt',
    );
    expect((await postBackchannel(rogue)).status).toBe(400);
    expect(await alive(hannah)).toBe(true);

    const good = await stack.idp.signLogoutToken(sub, 'backchannel', DEV_CLIENT.id);
    expect((await postBackchannel(good)).status).toBe(200);
    expect(await alive(hannah)).toBe(false);
    expect((await postBackchannel(good)).status).toBe(400); // replay
  });
});

describe('Universal Logout signed by another issuer (Okta org authorization server)', () => {
  it('trusts UNIVERSAL_LOGOUT_ISSUER for logout requests, and only it', async () => {
    const org = await startFakeOp(DEV_CLIENT.id);
    const other = await startStack({ env: { UNIVERSAL_LOGOUT_ISSUER: org.issuer } });
    try {
      const ari = await other.signIn('Ari');
      const endpoint = `${other.baseUrl}/auth/universal-logout`;
      const send = (token: string) =>
        fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ sub_id: { format: 'iss_sub', iss: org.issuer, sub: personFor('Ari').sub } }),
        });
      // Signed by the sign-in issuer: not the one that sends logout requests here.
      expect(
        (await send(await other.idp.signLogoutToken(personFor('Ari').sub, 'universal', DEV_CLIENT.id)))
          .status,
      ).toBe(401);
      expect((await send(await org.signJwt({}, endpoint))).status).toBe(204);
      expect((await ari.get('/api/v1/me')).status).toBe(401);
    } finally {
      await other.close();
      await org.close();
    }
  });
});
