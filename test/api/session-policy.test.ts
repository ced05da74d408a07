import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import { auditEvents, people } from '../../src/server/db/schema.ts';
import { personFor, type Session, startStack, stepUp, type TestStack } from '../helpers/stack.ts';

/** A clock the test moves: sessions, idle and absolute limits and step-up windows all read it. */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const advance = (minutes: number) => {
  offsetMs += minutes * 60_000;
};

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ now: clock });
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;
const auditOf = (action: string) =>
  db().select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(auditEvents.seq);
const setGroups = (who: string, groups: string[]) =>
  db()
    .update(people)
    .set({ groups })
    .where(eq(people.subject, personFor(who).sub));
const status = async (session: Session, path = '/api/v1/me') => (await session.get(path)).status;

describe('session policy', () => {
  it('ends a non-admin session after 8 h idle, an admin session after 30 min idle', async () => {
    offsetMs = 0;
    const ari = await stack.signIn('Ari');
    const priya = await stack.signIn('Priya');
    advance(29);
    expect(await status(priya)).toBe(200);
    advance(31);
    expect(await status(priya)).toBe(401);
    expect(await status(ari)).toBe(200);
    advance(8 * 60 + 1);
    expect(await status(ari)).toBe(401);
  });

  it('ends any session 12 h after sign-in however active it is', async () => {
    offsetMs = 0;
    const ben = await stack.signIn('Ben');
    for (let hour = 0; hour < 11; hour += 1) {
      advance(60);
      expect(await status(ben)).toBe(200);
    }
    advance(61);
    expect(await status(ben)).toBe(401);
  });

  it('applies a role change on the next request and rotates the session token', async () => {
    offsetMs = 0;
    const maya = await stack.signIn('Maya');
    expect((await maya.json<Me>('/api/v1/me')).role).toBe('manager');
    const oldToken = maya.jar.get('127.0.0.1', 'bi_session');
    const oldCookie = `bi_session=${oldToken}`;
    await setGroups('Maya', ['builder-relations', 'br-team-amer']);
    const response = await maya.get('/api/v1/me');
    expect(((await response.json()) as Me).role).toBe('advocate');
    expect(response.headers.getSetCookie().some((c) => c.startsWith('bi_session='))).toBe(true);
    expect(maya.jar.get('127.0.0.1', 'bi_session')).not.toBe(oldToken);
    const [changed] = (await auditOf('auth.session.access_changed')).slice(-1);
    expect(changed?.details).toMatchObject({ fromRole: 'manager', toRole: 'advocate' });

    // The previous token works for a few seconds (requests in flight), then never again.
    const stale = await fetch(`${stack.baseUrl}/api/v1/me`, { headers: { cookie: oldCookie } });
    expect(stale.status).toBe(200);
    advance(1);
    const later = await fetch(`${stack.baseUrl}/api/v1/me`, { headers: { cookie: oldCookie } });
    expect(later.status).toBe(401);
    expect(await status(maya)).toBe(200);
  });

  it('ends the session at once when the person loses every mapped group or is deactivated', async () => {
    offsetMs = 0;
    const camila = await stack.signIn('Camila');
    await setGroups('Camila', ['some-other-group']);
    expect(await status(camila)).toBe(401);
    expect((await auditOf('auth.session.ended')).at(-1)?.details).toMatchObject({ reason: 'access_removed' });

    const jordan = await stack.signIn('Jordan');
    await db()
      .update(people)
      .set({ status: 'deactivated' })
      .where(eq(people.subject, personFor('Jordan').sub));
    expect(await status(jordan)).toBe(401);
    expect((await auditOf('auth.session.ended')).at(-1)?.details).toMatchObject({ reason: 'deactivated' });
  });

  it('lets a person list and end their own sessions, and an admin end anyone’s', async () => {
    offsetMs = 0;
    const phone = await stack.signIn('Fatima');
    const laptop = await stack.signIn('Fatima');
    const list = await laptop.json<{ items: { id: string; current: boolean }[] }>('/api/v1/sessions');
    expect(list.items).toHaveLength(2);
    const other = list.items.find((s) => !s.current);
    expect(list.items.filter((s) => s.current)).toHaveLength(1);
    expect((await laptop.post(`/api/v1/sessions/${other?.id}/end`, {})).status).toBe(200);
    expect(await status(phone)).toBe(401);
    expect((await auditOf('auth.session.ended')).at(-1)?.details).toMatchObject({ reason: 'self' });

    // Someone else's session id is not found; the admin endpoints are admin-only.
    const gustav = await stack.signIn('Gustav');
    const gustavSession = (await gustav.json<Me>('/api/v1/me')).session.id;
    expect((await laptop.post(`/api/v1/sessions/${gustavSession}/end`, {})).status).toBe(404);
    expect((await laptop.get('/api/v1/admin/sessions')).status).toBe(403);

    const priya = await stack.signIn('Priya', { auth: 'mfa' });
    const all = await priya.json<{ items: { id: string }[] }>('/api/v1/admin/sessions');
    expect(all.items.map((s) => s.id)).toContain(gustavSession);
    expect((await priya.post(`/api/v1/admin/sessions/${gustavSession}/end`, {})).status).toBe(200);
    expect(await status(gustav)).toBe(401);
    expect((await auditOf('auth.session.ended')).at(-1)?.details).toMatchObject({ reason: 'admin' });
  });
});

describe('MFA expectation and step-up', () => {
  it('asks an admin who signed in without MFA to step up before a privileged action', async () => {
    offsetMs = 0;
    const priya = await stack.signIn('Priya', { auth: 'pwd' });
    const me = await priya.json<Me>('/api/v1/me');
    expect(me.session.mfa).toMatchObject({ requiredForRole: true, satisfiedAt: null, fresh: false });
    const target = (await (await stack.signIn('Hannah')).json<Me>('/api/v1/me')).session.id;

    const refused = await priya.post(`/api/v1/admin/sessions/${target}/end`, {});
    expect(refused.status).toBe(403);
    const problem = (await refused.json()) as { title: string; stepUpUrl: string };
    expect(problem.title).toBe('Step-up required');
    expect(problem.stepUpUrl).toBe('/auth/step-up');

    // A step-up without MFA is not enough for an admin.
    const weak = await stepUp(stack, priya, 'Priya', 'pwd');
    expect(weak.status).toBe(403);
    expect(await weak.text()).toContain('step_up_insufficient');

    const before = priya.jar.get('127.0.0.1', 'bi_session');
    const strong = await stepUp(stack, priya, 'Priya', 'mfa');
    expect(strong.status).toBe(302);
    expect(strong.headers.get('location')).toBe('/admin/');
    expect(priya.jar.get('127.0.0.1', 'bi_session')).not.toBe(before); // rotated on privilege change
    expect((await priya.json<Me>('/api/v1/me')).session.mfa.fresh).toBe(true);
    expect((await priya.post(`/api/v1/admin/sessions/${target}/end`, {})).status).toBe(200);
    expect((await auditOf('auth.step_up.succeeded')).at(-1)?.details).toMatchObject({ amr: ['pwd', 'mfa'] });

    // The MFA is fresh for the model's window (60 min), then another step-up is due.
    for (const minutes of [20, 20, 21]) {
      advance(minutes); // active, so the 30-minute admin idle limit does not end the session first
      expect((await priya.json<Me>('/api/v1/me')).session.mfa.fresh).toBe(minutes !== 21);
    }
  });

  it('refuses a step-up that comes back as a different person', async () => {
    offsetMs = 0;
    const noah = await stack.signIn('Noah', { auth: 'mfa' });
    const swapped = await stepUp(stack, noah, 'Priya', 'mfa');
    expect(swapped.status).toBe(403);
    expect(await swapped.text()).toContain('step_up_subject_mismatch');
    // The browser's session is still Noah's, with nothing of Priya's in it.
    const me = await noah.json<Me>('/api/v1/me');
    expect(me.person.email).toBe(personFor('Noah').email);
    expect((await auditOf('auth.sign_in.failed')).at(-1)?.details).toMatchObject({
      reason: 'step_up_subject_mismatch',
    });
  });
});

describe('trusted-claims model', () => {
  it('is versioned: an admin change is audited, a second admin approves, sessions follow at once', async () => {
    offsetMs = 0;
    const priya = await stack.signIn('Priya', { auth: 'mfa' });
    const maya = await stack.signIn('Maya');
    await setGroups('Maya', personFor('Maya').groups);
    expect((await maya.json<Me>('/api/v1/me')).role).toBe('manager');

    const { items } = await priya.json<{ items: { version: number; model: Record<string, unknown> }[] }>(
      '/api/v1/claims-model',
    );
    const active = items[0];
    expect(active).toBeDefined();
    const model = active?.model as {
      groupFilter: { prefixes: string[]; patterns: string[] };
      issuer: string;
    };
    // Narrow the groups that count: bi-managers no longer passes, so Maya falls back to advocate.
    const next = {
      ...model,
      groupFilter: { prefixes: ['br-', 'builder-', 'bi-admins', 'bi-viewers'], patterns: [] },
    };

    const wrongIssuer = await priya.send('PUT', '/api/v1/claims-model', {
      model: { ...next, issuer: 'https://evil.example' },
      reason: 'Try another issuer',
    });
    expect(wrongIssuer.status).toBe(400);
    expect(JSON.stringify(await wrongIssuer.json())).toContain('body.model.issuer');

    const changed = await priya.send('PUT', '/api/v1/claims-model', {
      model: next,
      reason: 'Managers read-only pilot',
    });
    expect(changed.status).toBe(200);
    const version = ((await changed.json()) as { version: number }).version;
    expect(version).toBe((active?.version ?? 0) + 1);
    expect((await auditOf('claims_model.changed')).at(-1)?.details).toMatchObject({
      version,
      changed: ['groupFilter'],
    });
    const mayaNow = await maya.json<Me>('/api/v1/me');
    expect(mayaNow).toMatchObject({ role: 'advocate', claimsModelVersion: version });

    expect((await priya.post(`/api/v1/claims-model/versions/${version}/approve`, {})).status).toBe(409);
    const noah = await stack.signIn('Noah', { auth: 'mfa' });
    expect((await noah.post(`/api/v1/claims-model/versions/${version}/approve`, {})).status).toBe(200);
    expect((await auditOf('claims_model.approved')).at(-1)?.details).toEqual({ version });

    // An admin cannot take away their own admin access; non-admins cannot read the model.
    const lockout = await priya.send('PUT', '/api/v1/claims-model', {
      model: { ...next, groupFilter: { prefixes: ['br-'], patterns: [] } },
      reason: 'Only team groups count',
    });
    expect(lockout.status).toBe(409);
    expect((await maya.get('/api/v1/claims-model')).status).toBe(403);

    // Restore for the other tests.
    const restored = await priya.send('PUT', '/api/v1/claims-model', { model, reason: 'End of the pilot' });
    expect(restored.status).toBe(200);
  });
});
