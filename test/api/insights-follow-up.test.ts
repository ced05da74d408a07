import { randomUUID } from 'node:crypto';
import { count, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight, InsightBatchResult } from '../../src/contract/api/insights.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { auditEvents, insights, people } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/** The follow-up workflow: PUT /follow-up, and the capture flag kept consistent by PATCH, POST and batch. */
let clock = new Date('2026-11-21T12:00:00.000Z');
const tick = () => {
  clock = new Date(clock.getTime() + 60_000);
};
let stack: TestStack;
let ari: Session; // advocate, AMER (the author)
let ben: Session; // advocate, AMER
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let erik: Session; // manager, EMEA
let victor: Session; // viewer
const idOf: Record<string, string> = {};

const db = () => stack.db.database.db;
const auditCount = async () => Number((await db().select({ n: count() }).from(auditEvents))[0]?.n);
const lastAudit = async (action: string) =>
  (
    await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, action))
      .orderBy(desc(auditEvents.seq))
      .limit(1)
  )[0];

function body(fields: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    text: 'Atlas Search needs a local emulator',
    type: 'feature_request',
    productAreas: ['atlas_search'],
    sentiment: 'neutral',
    priority: 'high',
    capturedAt: new Date(clock.getTime() - 3_600_000).toISOString(),
    ...fields,
  };
}

async function capture(who: Session, fields: Record<string, unknown> = {}): Promise<Insight> {
  const response = await who.post('/api/v1/insights', body(fields));
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Insight;
}

const put = (who: Session, id: string, payload: unknown) =>
  who.send('PUT', `/api/v1/insights/${id}/follow-up`, payload);

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
  const names = ['ari.levy', 'ben.carter', 'fatima.zahra', 'maya.patel', 'erik.lindqvist', 'victor.chen'];
  [ari, ben, fatima, maya, erik, victor] = (await Promise.all(
    names.map((n) => stack.signIn(`${n}@example.com`)),
  )) as [Session, Session, Session, Session, Session, Session];
  for (const [name, session] of [
    ['ben', ben],
    ['maya', maya],
  ] as const)
    idOf[name] = (await session.json<Me>('/api/v1/me')).person.id;
  const gustav = await stack.signIn('gustav.berg@example.com');
  idOf.gustav = (await gustav.json<Me>('/api/v1/me')).person.id;
  await db().update(people).set({ status: 'deactivated' }).where(eq(people.id, idOf.gustav));
});
afterAll(async () => {
  await stack?.close();
});

describe('PUT /api/v1/insights/:id/follow-up', () => {
  it('walks the workflow: open, assigned with a linked issue, status alone keeps them, null un-flags', async () => {
    const insight = await capture(ari);
    expect(insight).toMatchObject({ followUp: false, followUpState: null, version: 1 });

    tick();
    const opened = await put(ari, insight.id, { version: 1, status: 'open' });
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({
      followUp: true,
      version: 2,
      updatedAt: clock.toISOString(),
      followUpState: {
        status: 'open',
        owner: null,
        issueUrl: null,
        issueKind: null,
        updatedAt: clock.toISOString(),
      },
    });
    expect((await lastAudit('insight.follow_up_changed'))?.details).toEqual({
      fromStatus: null,
      toStatus: 'open',
      ownerId: null,
      issueUrl: null,
      toVersion: 2,
    });

    const jira = 'https://acme.atlassian.net/browse/SEARCH-42';
    const assigned = await put(maya, insight.id, {
      version: 2,
      status: 'in_progress',
      ownerId: idOf.ben,
      issueUrl: jira,
    });
    expect(assigned.status).toBe(200);
    expect(((await assigned.json()) as Insight).followUpState).toMatchObject({
      status: 'in_progress',
      owner: { id: idOf.ben, name: 'Ben Carter' },
      issueUrl: jira,
      issueKind: 'jira',
    });
    const audit = await lastAudit('insight.follow_up_changed');
    expect(audit).toMatchObject({ targetId: insight.id, actorRole: 'manager' });
    expect(audit?.details).toEqual({
      fromStatus: 'open',
      toStatus: 'in_progress',
      ownerId: idOf.ben,
      issueUrl: jira,
      toVersion: 3,
    });

    const done = (await (await put(ari, insight.id, { version: 3, status: 'done' })).json()) as Insight;
    expect(done.followUpState).toMatchObject({ status: 'done', owner: { id: idOf.ben }, issueUrl: jira });
    const listed = await maya.json<{ items: { id: string }[] }>(
      `/api/v1/insights?followUpStatus=done&followUpOwnerId=${idOf.ben}`,
    );
    expect(listed.items.map((i) => i.id)).toEqual([insight.id]);

    const github = 'https://github.com/acme/search/issues/7';
    const moved = (await (
      await put(ari, insight.id, { version: 4, status: 'done', ownerId: null, issueUrl: github })
    ).json()) as Insight;
    expect(moved.followUpState).toMatchObject({ owner: null, issueUrl: github, issueKind: 'github' });

    const ended = await put(ari, insight.id, { version: 5, status: null });
    expect(await ended.json()).toMatchObject({ followUp: false, followUpState: null, version: 6 });
    const [row] = await db().select().from(insights).where(eq(insights.id, insight.id));
    expect(row).toMatchObject({
      followUp: false,
      followUpStatus: null,
      followUpOwnerId: null,
      followUpIssueUrl: null,
    });
    expect((await lastAudit('insight.follow_up_changed'))?.details).toMatchObject({
      fromStatus: 'done',
      toStatus: null,
      toVersion: 6,
    });
  });

  it('answers 409 with the current record when the insight moved on, and writes nothing', async () => {
    const insight = await capture(ari);
    await ari.send('PATCH', `/api/v1/insights/${insight.id}`, { version: 1, priority: 'low' });
    const before = await auditCount();
    const stale = await put(maya, insight.id, { version: 1, status: 'open' });
    expect(stale.status).toBe(409);
    const problem = (await stale.json()) as { current: Insight; detail: string };
    expect(problem.current).toMatchObject({
      id: insight.id,
      version: 2,
      priority: 'low',
      followUpState: null,
    });
    expect(problem.detail).toMatch(/version 2/);
    expect(await auditCount()).toBe(before);
  });

  it('validates the owner, the URL and contradictions: 400 naming the field, nothing written', async () => {
    const insight = await capture(ari);
    const before = await auditCount();
    const cases: [string, unknown, string][] = [
      ['unknown owner', { version: 1, status: 'open', ownerId: randomUUID() }, 'body.ownerId'],
      ['deactivated owner', { version: 1, status: 'open', ownerId: idOf.gustav }, 'body.ownerId'],
      ['owner without status', { version: 1, status: null, ownerId: idOf.ben }, 'body.ownerId'],
      [
        'issue without status',
        { version: 1, status: null, issueUrl: 'https://github.com/a/b/issues/1' },
        'body.issueUrl',
      ],
      [
        'plain http issue',
        { version: 1, status: 'open', issueUrl: 'http://jira.acme.com/browse/X-1' },
        'body.issueUrl',
      ],
      ['not a URL', { version: 1, status: 'open', issueUrl: 'SEARCH-42' }, 'body.issueUrl'],
      ['bad status', { version: 1, status: 'closed' }, 'body.status'],
      ['missing status', { version: 1 }, 'body.status'],
      ['missing version', { status: 'open' }, 'body.version'],
      ['unknown field', { version: 1, status: 'open', note: 'x' }, 'body.note'],
    ];
    for (const [name, payload, field] of cases) {
      const response = await put(maya, insight.id, payload);
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect({ name, fields: problem.errors.map((e) => e.field) }).toEqual({ name, fields: [field] });
    }
    expect(await auditCount()).toBe(before);
    expect((await maya.json<Insight>(`/api/v1/insights/${insight.id}`)).version).toBe(1);
  });

  it('who may: the author or a manager in scope; others 403; outside the scope 404', async () => {
    const insight = await capture(ari);
    expect((await put(ben, insight.id, { version: 1, status: 'open' })).status).toBe(403);
    expect((await put(victor, insight.id, { version: 1, status: 'open' })).status).toBe(403);
    expect((await put(victor, randomUUID(), { version: 1, status: 'open' })).status).toBe(403);
    expect((await put(erik, insight.id, { version: 1, status: 'open' })).status).toBe(404);
    expect((await put(fatima, insight.id, { version: 1, status: 'open' })).status).toBe(404);
    expect((await put(maya, randomUUID(), { version: 1, status: 'open' })).status).toBe(404);
    expect((await put(maya, insight.id, { version: 1, status: 'open' })).status).toBe(200);
  });

  it('a request that changes nothing answers the stored record: no new version, no audit', async () => {
    const insight = await capture(ari, { followUp: true });
    const before = await auditCount();
    const same = await put(ari, insight.id, { version: 1, status: 'open', ownerId: null });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ version: 1, followUpState: { status: 'open' } });
    expect(await auditCount()).toBe(before);
  });
});

describe('the capture flag and the workflow stay consistent', () => {
  it('a capture flagged for follow-up starts open (single and batch)', async () => {
    tick();
    const single = await capture(ari, { followUp: true });
    expect(single.followUpState).toMatchObject({
      status: 'open',
      owner: null,
      updatedAt: clock.toISOString(),
    });
    const response = await ari.post('/api/v1/insights/batch', {
      items: [body({ followUp: true }), body({ followUp: false })],
    });
    const { results } = (await response.json()) as InsightBatchResult;
    expect(results.map((r) => r.insight?.followUpState?.status ?? null)).toEqual(['open', null]);
  });

  it('PATCH followUp true opens the workflow; false ends it, clearing owner and issue; both audited', async () => {
    const insight = await capture(ari);
    tick();
    const flagged = await ari.send('PATCH', `/api/v1/insights/${insight.id}`, { version: 1, followUp: true });
    expect(await flagged.json()).toMatchObject({
      followUp: true,
      version: 2,
      followUpState: { status: 'open', updatedAt: clock.toISOString() },
    });
    expect((await lastAudit('insight.follow_up_changed'))?.details).toMatchObject({
      fromStatus: null,
      toStatus: 'open',
      toVersion: 2,
    });
    await put(maya, insight.id, {
      version: 2,
      status: 'in_progress',
      ownerId: idOf.maya,
      issueUrl: 'https://github.com/acme/x/issues/1',
    });
    // Flagging again changes nothing: the workflow keeps its status.
    const again = await ari.send('PATCH', `/api/v1/insights/${insight.id}`, { version: 3, followUp: true });
    expect(await again.json()).toMatchObject({ version: 3, followUpState: { status: 'in_progress' } });

    const unflagged = await ari.send('PATCH', `/api/v1/insights/${insight.id}`, {
      version: 3,
      followUp: false,
    });
    expect(await unflagged.json()).toMatchObject({ followUp: false, followUpState: null, version: 4 });
    const [row] = await db().select().from(insights).where(eq(insights.id, insight.id));
    expect(row).toMatchObject({ followUpStatus: null, followUpOwnerId: null, followUpIssueUrl: null });
    expect((await lastAudit('insight.updated'))?.details).toMatchObject({
      changed: ['followUp'],
      toVersion: 4,
    });
    expect((await lastAudit('insight.follow_up_changed'))?.details).toMatchObject({
      fromStatus: 'in_progress',
      toStatus: null,
      toVersion: 4,
    });
  });
});
