import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight } from '../../src/contract/api/insights.ts';
import type { ApiTokenIssued, ApiTokenPage, ApiTokenSummary } from '../../src/contract/api/tokens.ts';
import { apiTokens, auditEvents, people } from '../../src/server/db/schema.ts';
import { verifyAuditChain } from '../../src/server/modules/audit/audit.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { revokeAllTokensOfPerson } from '../../src/server/modules/tokens/tokens.service.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { awayFromWindowEdge } from './public-api.helpers.ts';

let stack: TestStack;
let offsetMs = 0; // the app's clock: moved forward to expire tokens
let ari: Session; // advocate, AMER
let ben: Session; // advocate, AMER
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let victor: Session; // viewer
let priya: Session; // admin, MFA
let noah: Session; // admin, MFA
let benInsight: string;

const db = () => stack.db.database.db;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  stack = await startStack({ now: () => new Date(Date.now() + offsetMs) });
  [ari, ben, fatima, maya, victor] = (await Promise.all(
    ['Ari', 'Ben', 'Fatima', 'Maya', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session, Session];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  noah = await stack.signIn('Noah', { auth: 'mfa' });
  const body = newInsight('Ben AMER insight');
  benInsight = body.id;
  expect((await ben.post('/api/v1/insights', body)).status).toBe(201);
  expect((await fatima.post('/api/v1/insights', newInsight('Fatima EMEA insight'))).status).toBe(201);
});
afterAll(async () => {
  await stack?.close();
});

function newInsight(text = 'Token-written insight') {
  return {
    id: randomUUID(),
    text,
    type: 'documentation',
    sentiment: 'neutral',
    priority: 'low',
    capturedAt: new Date().toISOString(),
  };
}

function bearer(token: string, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${stack.baseUrl}${path}`, { ...init, headers });
}

const bearerPost = (token: string, path: string, body: unknown) =>
  bearer(token, path, { method: 'POST', body: JSON.stringify(body) });

async function createToken(who: Session, scopes: string[], expiresInDays = 30, name = 'CLI') {
  const response = await who.post('/api/v1/tokens', { name, scopes, expiresInDays });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as ApiTokenIssued;
}

async function personId(email: string) {
  const [row] = await db().select().from(people).where(eq(people.email, email));
  if (!row) throw new Error(`no person ${email}`);
  return row.id;
}

async function auditFor(tokenId: string) {
  return db().select().from(auditEvents).where(eq(auditEvents.targetId, tokenId)).orderBy(auditEvents.seq);
}

describe('personal tokens', () => {
  it('are shown once, stored only as a hash with a visible prefix, and listed without the secret', async () => {
    const created = await createToken(ari, ['insights:read', 'events:read'], 30);
    expect(created.token).toMatch(/^bi_pat_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ kind: 'personal', status: 'active', name: 'CLI', lifetimeDays: 30 });
    expect(created.prefix).toBe(created.token.slice(0, 12));
    expect(Date.parse(created.expiresAt ?? '') - Date.now()).toBeGreaterThan(29.9 * 86_400_000);

    const [row] = await db().select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row?.tokenHash).toBe(sha256(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const list = await ari.json<ApiTokenPage>('/api/v1/tokens');
    const listed = list.items.find((t) => t.id === created.id);
    expect(listed).toMatchObject({ prefix: created.prefix, status: 'active', owner: { name: 'Ari Levy' } });
    expect(JSON.stringify(list)).not.toContain(created.token);

    const [event] = await auditFor(created.id);
    expect(event).toMatchObject({ action: 'api_token.created', outcome: 'success', targetType: 'api_token' });
    expect(JSON.stringify(event?.details)).not.toContain(created.token);
  });

  it('read within the owner’s scope, track last use, and are refused (403, audited) outside their scopes', async () => {
    const { token, id } = await createToken(ari, ['insights:read']);
    const list = await bearer(token, '/api/v1/insights');
    expect(list.status).toBe(200);
    const texts = ((await list.json()) as { items: Insight[] }).items.map((i) => i.text);
    expect(texts).toContain('Ben AMER insight');
    expect(texts).not.toContain('Fatima EMEA insight');
    expect((await bearer(token, `/api/v1/insights/${benInsight}`)).status).toBe(200);

    const [row] = await db().select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
    expect(row?.lastUsedIp).toBe('127.0.0.1');

    const refused = await bearer(token, '/api/v1/events');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain('events:read');
    const write = await bearerPost(token, '/api/v1/insights', newInsight());
    expect(write.status).toBe(403);
    const refusals = (await auditFor(id)).filter((e) => e.action === 'api_token.refused');
    expect(refusals.map((e) => e.details)).toEqual([
      { tokenId: id, needed: 'events:read', method: 'GET', route: '/api/v1/events' },
      { tokenId: id, needed: 'insights:write', method: 'POST', route: '/api/v1/insights' },
    ]);
    expect(refusals[0]).toMatchObject({ outcome: 'failure', actorTokenId: id, actorSessionId: null });
  });

  it('write as their owner without a CSRF token, and the audit names the token', async () => {
    const { token, id } = await createToken(ari, ['insights:write', 'insights:read']);
    const body = newInsight();
    const response = await bearerPost(token, '/api/v1/insights', body);
    expect(response.status).toBe(201);
    const insight = (await response.json()) as Insight;
    expect(insight.author).toEqual({ id: await personId('ari.levy@example.com'), name: 'Ari Levy' });
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.targetId, body.id));
    expect(event).toMatchObject({ action: 'insight.created', actorTokenId: id, actorSessionId: null });
    // Events and the dashboard accept tokens with their scopes.
    const reader = await createToken(ari, ['events:read', 'reporting:read']);
    expect((await bearer(reader.token, '/api/v1/events')).status).toBe(200);
    expect((await bearer(reader.token, '/api/v1/dashboard')).status).toBe(200);
  });

  it('answer 401 when unknown, malformed, revoked or expired, and never work on session-only routes', async () => {
    const { token, id } = await createToken(ari, ['insights:read'], 1);
    expect((await bearer(`bi_pat_${'A'.repeat(43)}`, '/api/v1/insights')).status).toBe(401);
    expect((await bearer('not-a-token', '/api/v1/insights')).status).toBe(401);
    for (const path of ['/api/v1/me', '/api/v1/tokens']) {
      expect((await bearer(token, path)).status).toBe(401);
    }
    expect((await bearer(token, '/api/v1/tokens', { method: 'POST', body: '{}' })).status).toBe(401);

    offsetMs = 86_400_000 + 60_000; // a day and a minute later
    try {
      expect((await bearer(token, '/api/v1/insights')).status).toBe(401);
    } finally {
      offsetMs = 0;
    }
    expect((await bearer(token, '/api/v1/insights')).status).toBe(200);

    const revoked = await ari.post(`/api/v1/tokens/${id}/revoke`, { reason: 'laptop lost' });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ status: 'revoked', revokeReason: 'laptop lost' });
    expect((await bearer(token, '/api/v1/insights')).status).toBe(401);
    expect((await ari.post(`/api/v1/tokens/${id}/revoke`, {})).status).toBe(409);
    expect((await auditFor(id)).map((e) => e.action)).toEqual(['api_token.created', 'api_token.revoked']);
  });

  it('validate input, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x', scopes: ['insights:read'], expiresInDays: 91 }, 'body.expiresInDays'],
      [{ name: 'x', scopes: ['insights:read'], expiresInDays: 0 }, 'body.expiresInDays'],
      [{ name: 'x', scopes: ['insights:read'] }, 'body.expiresInDays'],
      [{ name: 'x', scopes: ['admin:all'], expiresInDays: 5 }, 'body.scopes.0'],
      [{ name: 'x', scopes: [], expiresInDays: 5 }, 'body.scopes'],
      [{ name: 'x', scopes: ['events:read', 'events:read'], expiresInDays: 5 }, 'body.scopes'],
      [{ name: ' ', scopes: ['events:read'], expiresInDays: 5 }, 'body.name'],
      [{ name: 'x', scopes: ['events:read'], expiresInDays: 5, ownerId: randomUUID() }, 'body.ownerId'],
    ];
    for (const [body, field] of cases) {
      const response = await ari.post('/api/v1/tokens', body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(
        problem.errors.map((e) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
  });

  it('never exceed the role: a viewer holds read scopes only', async () => {
    const body = { name: 'w', scopes: ['insights:read', 'insights:write'], expiresInDays: 7 };
    const response = await victor.post('/api/v1/tokens', body);
    expect(response.status).toBe(403);
    const problem = (await response.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toEqual([
      { field: 'body.scopes', message: expect.stringContaining('insights:write') },
    ]);
    const reader = await createToken(victor, ['insights:read', 'reporting:read']);
    expect((await bearer(reader.token, `/api/v1/insights/${benInsight}`)).status).toBe(200);
  });

  it('are private to their owner: someone else’s token id answers 404', async () => {
    const mine = await createToken(maya, ['insights:read']);
    expect((await ari.json<ApiTokenPage>('/api/v1/tokens')).items.map((t) => t.id)).not.toContain(mine.id);
    expect((await ari.post(`/api/v1/tokens/${mine.id}/revoke`, {})).status).toBe(404);
    expect((await priya.post(`/api/v1/tokens/${mine.id}/revoke`, {})).status).toBe(404);
    expect((await bearer(mine.token, '/api/v1/insights')).status).toBe(200);
  });

  it('are rate-limited per token: each token of a person has its own budget', async () => {
    // Token A carries a small budget of its own (so the test need not send 600 requests); B the default.
    const created = await ben.post('/api/v1/tokens', {
      name: 'A',
      scopes: ['events:read'],
      expiresInDays: 30,
      rateLimitPerMinute: 10,
    });
    const a = (await created.json()) as ApiTokenIssued;
    const b = await createToken(ben, ['events:read']);
    await awayFromWindowEdge();
    const remaining: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const response = await bearer(a.token, '/api/v1/events');
      expect(response.headers.get('x-ratelimit-limit')).toBe('10');
      remaining.push(Number(response.headers.get('x-ratelimit-remaining')));
    }
    expect(remaining).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const first = await bearer(b.token, '/api/v1/events');
    expect(first.headers.get('x-ratelimit-limit')).toBe('600');
    expect(Number(first.headers.get('x-ratelimit-remaining'))).toBe(599);
    // Token A's budget is spent: 429 with Retry-After, while token B still works.
    const limited = await bearer(a.token, '/api/v1/events');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await bearer(b.token, '/api/v1/events')).status).toBe(200);
  });
});

describe('service tokens', () => {
  let requestId: string;

  it('are requested, approved by another admin, then issued once to the requester', async () => {
    const requested = await ari.post('/api/v1/token-requests', {
      name: 'CRM sync',
      scopes: ['insights:read', 'insights:write'],
      expiresInDays: 60,
      justification: 'Nightly export of AMER insights to the CRM',
    });
    expect(requested.status).toBe(201);
    const summary = (await requested.json()) as ApiTokenSummary;
    requestId = summary.id;
    expect(summary).toMatchObject({ kind: 'service', status: 'requested', prefix: null, expiresAt: null });
    expect(summary).not.toHaveProperty('token');

    expect((await ari.post(`/api/v1/tokens/${requestId}/issue`, {})).status).toBe(409);
    expect((await ari.post(`/api/v1/admin/tokens/${requestId}/approve`, { note: 'me' })).status).toBe(403);
    expect((await ari.get('/api/v1/admin/tokens')).status).toBe(403);

    const pending = await priya.json<ApiTokenPage>('/api/v1/admin/tokens?status=requested&kind=service');
    expect(pending.items.map((t) => t.id)).toContain(requestId);
    expect(pending.items.every((t) => t.status === 'requested' && t.kind === 'service')).toBe(true);

    const approved = await noah.post(`/api/v1/admin/tokens/${requestId}/approve`, { note: 'OK' });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'approved', decidedBy: { name: 'Noah Adeyemi' } });
    expect((await priya.post(`/api/v1/admin/tokens/${requestId}/reject`, { note: 'late' })).status).toBe(409);

    expect((await maya.post(`/api/v1/tokens/${requestId}/issue`, {})).status).toBe(404);
    const issued = await ari.post(`/api/v1/tokens/${requestId}/issue`, {});
    expect(issued.status).toBe(200);
    const token = (await issued.json()) as ApiTokenIssued;
    expect(token.token).toMatch(/^bi_svc_/);
    expect(token).toMatchObject({ status: 'active', prefix: token.token.slice(0, 12) });
    expect(Date.parse(token.expiresAt ?? '') - Date.now()).toBeGreaterThan(59.9 * 86_400_000);
    expect((await ari.post(`/api/v1/tokens/${requestId}/issue`, {})).status).toBe(409);

    const write = await bearerPost(token.token, '/api/v1/insights', newInsight());
    expect(write.status).toBe(201);
    const actions = (await auditFor(requestId)).map((e) => e.action.replace('api_token.', ''));
    expect(actions).toEqual(['requested', 'decided', 'issued']);
  });

  it('cannot be approved by their requester (409), and a rejected request is never issued', async () => {
    const body = { name: 'SIEM', scopes: ['events:read'], expiresInDays: 10, justification: 'Audit export' };
    const own = await priya.post('/api/v1/token-requests', body);
    const { id } = (await own.json()) as ApiTokenSummary;
    expect((await priya.post(`/api/v1/admin/tokens/${id}/approve`, { note: 'mine' })).status).toBe(409);
    const rejected = await noah.post(`/api/v1/admin/tokens/${id}/reject`, { note: 'Use the job' });
    expect(await rejected.json()).toMatchObject({ status: 'rejected', decisionNote: 'Use the job' });
    expect((await priya.post(`/api/v1/tokens/${id}/issue`, {})).status).toBe(409);
    const [decided] = (await auditFor(id)).filter((e) => e.action === 'api_token.decided');
    expect(decided?.details).toMatchObject({ decision: 'rejected', note: 'Use the job' });
  });

  it('must be collected within 7 days of the approval', async () => {
    const body = {
      name: 'BI export',
      scopes: ['insights:read'],
      expiresInDays: 5,
      justification: 'Quarterly',
    };
    const { id } = (await (await ari.post('/api/v1/token-requests', body)).json()) as ApiTokenSummary;
    expect((await noah.post(`/api/v1/admin/tokens/${id}/approve`, { note: 'OK' })).status).toBe(200);
    await db()
      .update(apiTokens)
      .set({ decidedAt: new Date(Date.now() - 8 * 86_400_000) })
      .where(eq(apiTokens.id, id));
    const late = await ari.post(`/api/v1/tokens/${id}/issue`, {});
    expect(late.status).toBe(409);
    expect(((await late.json()) as { detail: string }).detail).toContain('older than 7 days');
  });

  it('admin actions need a recent MFA sign-in (step-up), and admins can revoke any token', async () => {
    const priyaPwd = await stack.signIn('Priya', { auth: 'pwd' });
    const victim = await createToken(ben, ['insights:read']);
    const stale = await priyaPwd.post(`/api/v1/admin/tokens/${victim.id}/revoke`, { reason: 'x' });
    expect(stale.status).toBe(403);
    expect(await stale.json()).toMatchObject({ title: 'Step-up required' });
    expect((await noah.post(`/api/v1/admin/tokens/${victim.id}/revoke`, {})).status).toBe(400);
    const revoked = await noah.post(`/api/v1/admin/tokens/${victim.id}/revoke`, { reason: 'Moved on' });
    expect(revoked.status).toBe(200);
    expect((await bearer(victim.token, '/api/v1/insights')).status).toBe(401);
    const [event] = (await auditFor(victim.id)).filter((e) => e.action === 'api_token.revoked');
    expect(event?.actorId).toBe(await personId('noah.adeyemi@example.com'));
  });
});

describe('a token follows its owner’s current access', () => {
  it('loses scope, then all access, at once when the org source changes the owner’s groups', async () => {
    const mayaId = await personId('maya.patel@example.com');
    const { token, id } = await createToken(maya, ['insights:read', 'insights:write']);
    const setGroups = (groups: string[]) => db().update(people).set({ groups }).where(eq(people.id, mayaId));
    const get = () => bearer(token, `/api/v1/insights/${benInsight}`);
    const write = () => bearerPost(token, '/api/v1/insights', newInsight());
    expect((await get()).status).toBe(200);
    try {
      // No longer a manager nor in AMER: an advocate without a team reads only her own insights.
      await setGroups(['builder-relations']);
      expect((await get()).status).toBe(404);
      expect((await write()).status).toBe(201);
      // Now a viewer: the token's write scope no longer applies.
      await setGroups(['bi-viewers']);
      expect((await write()).status).toBe(403);
      expect((await get()).status).toBe(200);
      // No mapped group at all: the token stops working.
      await setGroups(['sales']);
      expect((await get()).status).toBe(401);
      // Entitled again but deactivated: still nothing.
      await setGroups(['builder-relations', 'bi-managers', 'br-team-amer']);
      await db().update(people).set({ status: 'deactivated' }).where(eq(people.id, mayaId));
      expect((await get()).status).toBe(401);
    } finally {
      await setGroups(['builder-relations', 'bi-managers', 'br-team-amer']);
      await db().update(people).set({ status: 'provisional' }).where(eq(people.id, mayaId));
    }
    expect((await get()).status).toBe(200);
    const refused = (await auditFor(id)).filter((e) => e.action === 'api_token.refused');
    expect(refused.map((e) => e.actorRole)).toEqual(['viewer']);
  });

  it('global logout revokes every active and approved token of the person, audited', async () => {
    const benId = await personId('ben.carter@example.com');
    const live = await createToken(ben, ['events:read']);
    const revoked = await db().transaction((tx) =>
      revokeAllTokensOfPerson(tx, systemContext('test'), benId, 'Universal Logout'),
    );
    expect(revoked).toBeGreaterThanOrEqual(1);
    expect((await bearer(live.token, '/api/v1/events')).status).toBe(401);
    const rows = await db().select().from(apiTokens).where(eq(apiTokens.ownerId, benId));
    expect(rows.filter((r) => r.status === 'active' || r.status === 'approved')).toEqual([]);
    expect((await auditFor(live.id)).at(-1)?.details).toMatchObject({
      reason: 'Universal Logout',
      tokenId: live.id,
    });
  });
});

describe('contract', () => {
  it('audits every token event in the chain', async () => {
    const rows = await db().select({ action: auditEvents.action }).from(auditEvents);
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['created', 'requested', 'decided', 'issued', 'revoked', 'refused']) {
      expect(actions).toContain(`api_token.${action}`);
    }
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  // The OpenAPI document and the route contract for token routes: public-api-openapi.test.ts.

  it('counts refused token guesses against the caller’s rate limit before answering 401', async () => {
    const first = await bearer('bi_pat_not-a-real-token', '/api/v1/insights');
    const second = await bearer('bi_pat_another-guess', '/api/v1/insights');
    expect([first.status, second.status]).toEqual([401, 401]);
    const remaining = (r: Response) => Number(r.headers.get('x-ratelimit-remaining'));
    expect(remaining(second)).toBe(remaining(first) - 1);
  });
});
