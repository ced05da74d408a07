import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessException, AccessExceptionPage } from '../../src/contract/api/access.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { accessExceptions, auditEvents, people } from '../../src/server/db/schema.ts';
import { JOBS } from '../../src/server/jobs/catalog.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let offsetMs = 0; // the app's clock: moved forward to reach an expiry
let ari: Session; // advocate AMER, reports to Maya
let ben: Session; // advocate AMER, reports to Maya
let fatima: Session; // advocate EMEA, reports to Erik
let maya: Session; // manager AMER
let priya: Session; // admin, MFA
let noah: Session; // admin, MFA
const ids: Record<string, string> = {};

const EXCEPTIONS = '/api/v1/access/exceptions';
const MINUTE = 60_000;
const DAY = 86_400_000;
const db = () => stack.db.database.db;
const appNow = () => Date.now() + offsetMs;
const inFuture = (ms: number) => new Date(appNow() + ms).toISOString();
const JUSTIFICATION = 'Covering the AMER team while Maya is on leave';

async function setManagers(target: TestStack, pairs: [string, string][]) {
  const rows = await target.db.database.db.select({ id: people.id, email: people.email }).from(people);
  const byEmail = new Map(rows.map((r) => [r.email, r.id]));
  for (const [report, manager] of pairs)
    await target.db.database.db
      .update(people)
      .set({ managerId: byEmail.get(manager) ?? null })
      .where(eq(people.email, report));
  return byEmail;
}

beforeAll(async () => {
  stack = await startStack({ now: () => new Date(appNow()) });
  [ari, ben, fatima, maya] = (await Promise.all(
    ['Ari', 'Ben', 'Fatima', 'Maya', 'Erik', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  noah = await stack.signIn('Noah', { auth: 'mfa' });
  // Reporting lines and Builder Relations membership as the org source would set them: Maya manages her tree.
  await db()
    .update(people)
    .set({ builderRelations: true })
    .where(
      inArray(people.email, [
        'ari.levy@example.com',
        'ben.carter@example.com',
        'fatima.zahra@example.com',
        'maya.patel@example.com',
        'erik.lindqvist@example.com',
      ]),
    );
  const byEmail = await setManagers(stack, [
    ['ari.levy@example.com', 'maya.patel@example.com'],
    ['ben.carter@example.com', 'maya.patel@example.com'],
    ['fatima.zahra@example.com', 'erik.lindqvist@example.com'],
  ]);
  for (const [key, email] of Object.entries({
    ari: 'ari.levy@example.com',
    ben: 'ben.carter@example.com',
    fatima: 'fatima.zahra@example.com',
    maya: 'maya.patel@example.com',
    priya: 'priya.raman@example.com',
    noah: 'noah.adeyemi@example.com',
    erik: 'erik.lindqvist@example.com',
  }))
    ids[key] = byEmail.get(email) ?? '';
});
afterAll(async () => {
  await stack?.close();
});

async function create(who: Session, body: Record<string, unknown>) {
  return who.post(EXCEPTIONS, {
    role: 'manager',
    scopeKind: 'team',
    justification: JUSTIFICATION,
    expiresAt: inFuture(7 * DAY),
    ...body,
  });
}

async function created(who: Session, body: Record<string, unknown>): Promise<AccessException> {
  const response = await create(who, body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as AccessException;
}

async function auditActions(id: string) {
  const events = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, 'access_exception'), eq(auditEvents.targetId, id)))
    .orderBy(auditEvents.seq);
  return events;
}

async function exceptionCount() {
  return (await db().select().from(accessExceptions)).length;
}

async function detail(response: Response) {
  return ((await response.json()) as { detail: string }).detail;
}

describe('requesting an exception', () => {
  it('names the field when the request is not valid, and stores nothing', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ justification: 'too short' }, 'body.justification', 'at least 20 characters'],
      [{ justification: 'x'.repeat(1001) }, 'body.justification', ''],
      [{ expiresAt: undefined }, 'body.expiresAt', ''],
      [{ expiresAt: inFuture(-MINUTE) }, 'body.expiresAt', 'must be in the future'],
      [{ expiresAt: inFuture(91 * DAY) }, 'body.expiresAt', 'at most 90 days'],
      [{ expiresAt: 'next tuesday' }, 'body.expiresAt', 'ISO 8601'],
      [{ role: 'owner' }, 'body.role', ''],
      [{ scopeKind: 'all', scopeTarget: 'amer' }, 'body.scopeTarget', 'must be empty for scope kind all'],
      [{ scopeKind: 'tree', scopeTarget: randomUUID() }, 'body.scopeTarget', 'id of a person'],
      [{ scopeKind: 'tree', scopeTarget: 'not-a-person' }, 'body.scopeTarget', 'id of a person'],
      [{ scopeKind: 'team', scopeTarget: 'amer; drop table' }, 'body.scopeTarget', 'team name'],
      [{ scopeKind: 'org_unit' }, 'body.scopeTarget', 'no department'],
      [{ subjectId: 'ari' }, 'body.subjectId', ''],
      [{ extra: true }, 'body.extra', ''],
    ];
    for (const [body, field, message] of cases) {
      const response = await create(ari, { subjectId: ids.ari, ...body });
      expect(response.status, `${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      const problem = (await response.json()) as { errors: { field: string; message: string }[] };
      const error = problem.errors.find((e) => e.field === field);
      expect(error, JSON.stringify(problem.errors)).toBeDefined();
      expect(error?.message).toContain(message);
    }
    expect(await exceptionCount()).toBe(0);
  });

  it('is for yourself, for people in a manager’s scope (below admin, within reach), or by an admin', async () => {
    // An advocate asks only for themselves.
    expect((await create(ari, { subjectId: ids.ben })).status).toBe(403);
    // Outside Maya's scope, the person does not exist for her.
    expect((await create(maya, { subjectId: ids.fatima })).status).toBe(404);
    expect((await create(maya, { subjectId: randomUUID() })).status).toBe(404);
    const admin = await create(maya, { subjectId: ids.ari, role: 'admin' });
    expect(admin.status).toBe(403);
    expect(await detail(admin)).toContain('cannot request admin');
    // Nothing beyond what Maya sees herself.
    expect((await create(maya, { subjectId: ids.ari, role: 'viewer', scopeKind: 'all' })).status).toBe(403);
    expect((await create(maya, { subjectId: ids.ari, scopeTarget: 'emea' })).status).toBe(403);
    expect(await exceptionCount()).toBe(0);

    const ex = await created(maya, { subjectId: ids.ari, scopeTarget: null });
    expect(ex).toMatchObject({
      subject: { id: ids.ari, name: 'Ari Levy' },
      role: 'manager',
      scopeKind: 'team',
      scopeTarget: null,
      scopeLabel: "The subject's team",
      status: 'requested',
      requestedBy: { id: ids.maya, name: 'Maya Patel' },
      decidedBy: null,
      daysLeft: null,
    });
    const duplicate = await create(maya, { subjectId: ids.ari, scopeTarget: null });
    expect(duplicate.status).toBe(409);

    const [event] = await auditActions(ex.id);
    expect(event).toMatchObject({ action: 'access.exception.requested', actorId: ids.maya });
    expect(event?.details).toMatchObject({
      subjectId: ids.ari,
      role: 'manager',
      scopeKind: 'team',
      scopeTarget: null,
      justification: JUSTIFICATION,
    });
    // Not approved: Ari's access is unchanged.
    expect((await ari.json<Me>('/api/v1/me')).role).toBe('advocate');
    await priya.post(`${EXCEPTIONS}/${ex.id}/reject`, { note: 'Covered by Ben instead' });
  });
});

describe('deciding an exception', () => {
  it('is never done by the requester or the subject', async () => {
    const ex = await created(maya, { subjectId: ids.ben, scopeKind: 'tree', expiresAt: inFuture(DAY) });
    // Each caller is told what they may do; the actions below agree with it.
    const allowedFor = async (who: Session) =>
      (await who.json<AccessException>(`${EXCEPTIONS}/${ex.id}`)).allowed;
    expect(await allowedFor(maya)).toEqual({ decide: false, revoke: false });
    expect(await allowedFor(ben)).toEqual({ decide: false, revoke: false });
    expect(await allowedFor(noah)).toEqual({ decide: true, revoke: false });
    const own = await maya.post(`${EXCEPTIONS}/${ex.id}/approve`, {});
    expect(own.status).toBe(409);
    expect(await detail(own)).toContain('other than the person who requested it');
    const subject = await ben.post(`${EXCEPTIONS}/${ex.id}/approve`, {});
    expect(subject.status).toBe(409);
    expect(await detail(subject)).toContain('other than the person who would receive it');
    // Someone who cannot see it: 404.
    expect((await fatima.post(`${EXCEPTIONS}/${ex.id}/approve`, {})).status).toBe(404);
    const rejected = await noah.post(`${EXCEPTIONS}/${ex.id}/reject`, { note: 'Not needed this quarter' });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({
      status: 'rejected',
      decidedBy: { id: ids.noah, name: 'Noah Adeyemi' },
      decisionNote: 'Not needed this quarter',
    });
    expect((await noah.post(`${EXCEPTIONS}/${ex.id}/approve`, {})).status).toBe(409);
    const events = await auditActions(ex.id);
    expect(events.map((e) => e.action)).toEqual(['access.exception.requested', 'access.exception.decided']);
    expect(events[1]).toMatchObject({ actorId: ids.noah });
    expect(events[1]?.details).toMatchObject({ decision: 'rejected', note: 'Not needed this quarter' });
  });

  it('by the direct manager below admin: the subject’s next request has the access, with provenance', async () => {
    const ex = await created(ari, {
      subjectId: ids.ari,
      scopeKind: 'tree',
      justification: 'Mentoring two new hires who report to me from next week',
      expiresAt: inFuture(10 * MINUTE),
    });
    const adminAsk = await created(ari, {
      subjectId: ids.ari,
      role: 'admin',
      scopeKind: 'all',
      expiresAt: inFuture(DAY),
    });
    const refused = await maya.post(`${EXCEPTIONS}/${adminAsk.id}/approve`, {});
    expect(refused.status).toBe(403);
    expect(await detail(refused)).toContain('approved by an admin');
    expect((await ben.post(`${EXCEPTIONS}/${ex.id}/approve`, {})).status).toBe(404);
    expect(
      (await priya.post(`${EXCEPTIONS}/${adminAsk.id}/reject`, { note: 'Use a service token' })).status,
    ).toBe(200);

    const approved = await maya.post(`${EXCEPTIONS}/${ex.id}/approve`, { note: 'Agreed in our 1:1' });
    expect(approved.status, await approved.clone().text()).toBe(200);
    expect(await approved.json()).toMatchObject({
      status: 'active',
      decidedBy: { id: ids.maya },
      decisionNote: 'Agreed in our 1:1',
      daysLeft: 1,
    });
    const me = await ari.json<Me>('/api/v1/me');
    expect(me.role).toBe('manager');
    expect(me.scope).toEqual({ kind: 'limited', teams: ['amer'], trees: [ids.ari], units: [] });
    expect((await maya.json<Me>('/api/v1/me')).scope).toMatchObject({ trees: [ids.maya] });
    const granted = me.entitlements.find((e) => e.source === 'exception');
    expect(granted).toMatchObject({ role: 'manager', scopeKind: 'tree', exceptionId: ex.id, ruleId: null });
    expect(granted?.reason).toContain('because of an approved exception until');
    expect(granted?.reason).toContain('Mentoring two new hires');
    const events = await auditActions(ex.id);
    expect(events.map((e) => e.action)).toEqual(['access.exception.requested', 'access.exception.decided']);
    expect(events[1]?.details).toMatchObject({ decision: 'approved', note: 'Agreed in our 1:1' });
  });
});

describe('seeing exceptions', () => {
  it('lists by scope with names and days left; another scope answers 404', async () => {
    const forFatima = await created(priya, {
      subjectId: ids.fatima,
      role: 'viewer',
      scopeKind: 'org_unit',
      scopeTarget: 'Security',
      expiresAt: inFuture(30 * DAY),
    });
    expect((await noah.post(`${EXCEPTIONS}/${forFatima.id}/approve`, {})).status).toBe(200);

    const all = await priya.json<AccessExceptionPage>(EXCEPTIONS);
    expect(all.items.length).toBe(5);
    const fatimaView = all.items.find((e) => e.id === forFatima.id);
    expect(fatimaView).toMatchObject({
      subject: { name: 'Fatima Zahra' },
      requestedBy: { name: 'Priya Raman' },
      decidedBy: { name: 'Noah Adeyemi' },
      status: 'active',
      daysLeft: 30,
      scopeLabel: 'Org unit Security',
    });

    const mine = await maya.json<AccessExceptionPage>(EXCEPTIONS);
    expect(new Set(mine.items.map((e) => e.subject.name))).toEqual(new Set(['Ari Levy', 'Ben Carter']));
    expect((await maya.get(`${EXCEPTIONS}/${forFatima.id}`)).status).toBe(404);
    const own = await fatima.json<AccessExceptionPage>(EXCEPTIONS);
    expect(own.items.map((e) => e.id)).toEqual([forFatima.id]);
    const benOwn = await ben.json<AccessExceptionPage>(EXCEPTIONS);
    expect(benOwn.items.every((e) => e.subject.id === ids.ben)).toBe(true);

    const active = await priya.json<AccessExceptionPage>(`${EXCEPTIONS}?status=active`);
    expect(active.items.map((e) => e.subject.name).sort()).toEqual(['Ari Levy', 'Fatima Zahra']);
    const ariOnly = await priya.json<AccessExceptionPage>(
      `${EXCEPTIONS}?subjectId=${ids.ari}&status=rejected`,
    );
    expect(ariOnly.items.map((e) => e.role).sort()).toEqual(['admin', 'manager']);

    const first = await priya.json<AccessExceptionPage>(`${EXCEPTIONS}?limit=2`);
    expect(first.items).toHaveLength(2);
    const second = await priya.json<AccessExceptionPage>(`${EXCEPTIONS}?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((e) => e.id)).not.toContain(first.items[0]?.id);
    expect((await priya.get(`${EXCEPTIONS}?cursor=nonsense`)).status).toBe(400);
    expect((await priya.get(`${EXCEPTIONS}?status=pending`)).status).toBe(400);
  });
});

describe('revoking an exception', () => {
  it('is for an admin, the approver or the subject’s manager, and ends the access at once', async () => {
    const [ex] = (await priya.json<AccessExceptionPage>(`${EXCEPTIONS}?subjectId=${ids.fatima}`)).items;
    if (!ex) throw new Error('no exception for Fatima');
    const before = await fatima.json<Me>('/api/v1/me');
    expect(before.scope).toMatchObject({ units: ['Security'] });

    expect((await maya.post(`${EXCEPTIONS}/${ex.id}/revoke`, { reason: 'Not needed' })).status).toBe(404);
    const bySubject = await fatima.post(`${EXCEPTIONS}/${ex.id}/revoke`, { reason: 'Not needed' });
    expect(bySubject.status).toBe(403);
    expect((await noah.post(`${EXCEPTIONS}/${ex.id}/revoke`, {})).status).toBe(400);

    const revoked = await noah.post(`${EXCEPTIONS}/${ex.id}/revoke`, { reason: 'Audit finished early' });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({
      status: 'revoked',
      revokedBy: { id: ids.noah, name: 'Noah Adeyemi' },
      revokeReason: 'Audit finished early',
      daysLeft: null,
    });
    const after = await fatima.json<Me>('/api/v1/me');
    expect(after.scope).toMatchObject({ units: [] });
    expect(after.entitlements.some((e) => e.source === 'exception')).toBe(false);
    expect((await priya.post(`${EXCEPTIONS}/${ex.id}/revoke`, { reason: 'Again' })).status).toBe(409);
    const events = await auditActions(ex.id);
    expect(events.map((e) => e.action)).toEqual([
      'access.exception.requested',
      'access.exception.decided',
      'access.exception.revoked',
    ]);
    expect(events[2]?.details).toEqual({
      subjectId: ids.fatima,
      reason: 'Audit finished early',
      via: 'manual',
    });
  });
});

describe('expiry', () => {
  it('ends the access at the instant of expiry; the job records it and audits each one', async () => {
    const [active] = (
      await priya.json<AccessExceptionPage>(`${EXCEPTIONS}?subjectId=${ids.ari}&status=active`)
    ).items;
    if (!active) throw new Error('no active exception for Ari');
    const stale = await created(maya, { subjectId: ids.ben, expiresAt: inFuture(5 * MINUTE) });
    expect((await ari.json<Me>('/api/v1/me')).role).toBe('manager');

    offsetMs = 11 * MINUTE;
    try {
      // Before the job runs: the engine already ignores it, and it reads as expired.
      const me = await ari.json<Me>('/api/v1/me');
      expect(me.role).toBe('advocate');
      expect(me.entitlements.some((e) => e.source === 'exception')).toBe(false);
      expect(await ari.json<AccessException>(`${EXCEPTIONS}/${active.id}`)).toMatchObject({
        status: 'expired',
        daysLeft: null,
      });
      expect((await maya.json<AccessException>(`${EXCEPTIONS}/${stale.id}`)).status).toBe('expired');
      const open = await priya.json<AccessExceptionPage>(`${EXCEPTIONS}?status=requested`);
      expect(open.items.map((e) => e.id)).not.toContain(stale.id);
      const ended = await priya.json<AccessExceptionPage>(`${EXCEPTIONS}?status=expired`);
      expect(ended.items.map((e) => e.id).sort()).toEqual([active.id, stale.id].sort());
      const late = await priya.post(`${EXCEPTIONS}/${stale.id}/approve`, {});
      expect(late.status).toBe(409);
      expect(await detail(late)).toContain('past its expiry');
      const [row] = await db().select().from(accessExceptions).where(eq(accessExceptions.id, active.id));
      expect(row?.status).toBe('active');

      const job = JOBS.find((j) => j.name === 'exception-expiry');
      if (!job) throw new Error('exception-expiry job is not in the catalog');
      expect(job.everyMs).toBe(MINUTE);
      expect(await job.run(db(), new Date(appNow()), { oidc: null, config: null })).toEqual({
        expired: 1,
        lapsedRequests: 1,
      });
      expect(await job.run(db(), new Date(appNow()), { oidc: null, config: null })).toEqual({
        expired: 0,
        lapsedRequests: 0,
      });

      const rows = await db()
        .select()
        .from(accessExceptions)
        .where(inArray(accessExceptions.id, [active.id, stale.id]));
      expect(rows.map((r) => r.status).sort()).toEqual(['expired', 'expired']);
      const events = await auditActions(active.id);
      expect(events.map((e) => e.action)).toEqual([
        'access.exception.requested',
        'access.exception.decided',
        'access.exception.expired',
      ]);
      expect(events[2]).toMatchObject({ actorId: null, actorRole: null });
      expect(events[2]?.details).toEqual({ subjectId: ids.ari, expiresAt: active.expiresAt });
      expect((await auditActions(stale.id)).map((e) => e.action)).toEqual([
        'access.exception.requested',
        'access.exception.expired',
      ]);
      expect((await priya.post(`${EXCEPTIONS}/${active.id}/revoke`, { reason: 'Too late' })).status).toBe(
        409,
      );
    } finally {
      offsetMs = 0;
    }
  });
});

describe('bounds', () => {
  it('caps the open exceptions one person may have', async () => {
    const victor = await stack.signIn('Victor');
    const victorId = (await victor.json<Me>('/api/v1/me')).person.id;
    for (let i = 1; i <= 10; i += 1)
      await created(victor, { subjectId: victorId, role: 'viewer', scopeTarget: `team-${i}` });
    const over = await create(victor, { subjectId: victorId, role: 'viewer', scopeTarget: 'team-11' });
    expect(over.status).toBe(409);
    expect(await detail(over)).toContain('10 open exceptions');
    const open = await db().select().from(accessExceptions).where(eq(accessExceptions.subjectId, victorId));
    expect(open).toHaveLength(10);
  });
});

describe('EXCEPTION_APPROVERS=admin', () => {
  let other: TestStack;
  afterAll(async () => {
    await other?.close();
  });

  it('leaves approval to admins: the direct manager is refused', async () => {
    other = await startStack({ env: { EXCEPTION_APPROVERS: 'admin' } });
    const [subject, manager] = (await Promise.all(['Ari', 'Maya'].map((who) => other.signIn(who)))) as [
      Session,
      Session,
    ];
    const admin = await other.signIn('Noah', { auth: 'mfa' });
    const byEmail = await setManagers(other, [['ari.levy@example.com', 'maya.patel@example.com']]);
    const response = await subject.post(EXCEPTIONS, {
      subjectId: byEmail.get('ari.levy@example.com'),
      role: 'manager',
      scopeKind: 'tree',
      justification: JUSTIFICATION,
      expiresAt: new Date(Date.now() + DAY).toISOString(),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as AccessException;
    const refused = await manager.post(`${EXCEPTIONS}/${id}/approve`, {});
    expect(refused.status).toBe(403);
    expect(await detail(refused)).toContain('EXCEPTION_APPROVERS=admin');
    expect((await manager.post(`${EXCEPTIONS}/${id}/reject`, { note: 'No' })).status).toBe(403);
    expect((await admin.post(`${EXCEPTIONS}/${id}/approve`, {})).status).toBe(200);
    expect((await subject.json<Me>('/api/v1/me')).role).toBe('manager');
  });
});
