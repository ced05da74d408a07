import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Decision,
  DecisionEditConflict,
  DecisionHistory,
  DecisionList,
} from '../../src/contract/api/decisions.ts';
import type { Me } from '../../src/contract/api/me.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import type { Problem } from '../../src/contract/problem.ts';
import { decisions, decisionVersions } from '../../src/server/db/schema.governance.ts';
import { auditEvents } from '../../src/server/db/schema.ts';
import { ensureDecisionRegister } from '../../src/server/modules/decisions/decisions.seed.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let priya: Session; // admin (MFA)
let maya: Session; // manager
let ari: Session; // advocate
let victor: Session; // viewer
let priyaId = '';

const db = () => stack.db.database.db;
const base = '/api/v1/decisions';

beforeAll(async () => {
  stack = await startStack();
  [maya, ari, victor] = (await Promise.all(['Maya', 'Ari', 'Victor'].map((who) => stack.signIn(who)))) as [
    Session,
    Session,
    Session,
  ];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  priyaId = (await priya.json<Me>('/api/v1/me')).person.id;
});
afterAll(async () => {
  await stack?.close();
});

const list = (who: Session, query = '') => who.json<DecisionList>(`${base}${query}`);
const patch = (who: Session, id: string, body: unknown) => who.send('PATCH', `${base}/${id}`, body);

async function expectProblem(response: Response, status: number, field?: string): Promise<Problem> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const problem = JSON.parse(text) as Problem;
  if (field !== undefined) {
    const fields = problem.errors?.map((e) => e.field) ?? [];
    expect(
      fields.some((f) => f === field || f.startsWith(`${field}.`)),
      fields.join(),
    ).toBe(true);
  }
  return problem;
}

async function create(body: Record<string, unknown>): Promise<Decision> {
  const response = await priya.post(base, {
    workstream: 'Test',
    owner: 'Test owner',
    status: 'drafted',
    ...body,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Decision;
}

const auditOf = (id: string) =>
  db().select().from(auditEvents).where(eq(auditEvents.targetId, id)).orderBy(asc(auditEvents.seq));
const versionsOf = (id: string) =>
  db()
    .select()
    .from(decisionVersions)
    .where(eq(decisionVersions.decisionId, id))
    .orderBy(asc(decisionVersions.version));

describe('the seeded register', () => {
  it('holds the nine decisions of the program decision map, each at version 1 and audited by the system', async () => {
    const { items, owners, workstreams } = await list(victor);
    expect(items.map((d) => d.ref)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `DEC-${n}`));
    const byTitle = Object.fromEntries(items.map((d) => [d.title, d]));
    expect(byTitle['Okta SSO path and claims model']).toMatchObject({
      workstream: 'Identity',
      owner: 'Identity and Security',
      status: 'needs_decision',
    });
    expect(byTitle['Builder Relations source of truth']).toMatchObject({
      owner: 'Builder Relations Ops and Org Systems',
      status: 'needs_decision',
    });
    expect(byTitle['First Kanopy runtime boundary']).toMatchObject({
      owner: 'Platform Engineering and Application Engineering',
      status: 'drafted',
    });
    expect(byTitle['Telemetry stack and dashboard ownership']).toMatchObject({
      owner: 'Platform Engineering, Product, and Application Engineering',
      status: 'needs_decision',
    });
    expect(byTitle['Who owns access reviews, entitlement exceptions, and audit follow-up']).toMatchObject({
      workstream: 'Identity',
      owner: 'Identity and Security',
    });
    // The claims decision waits for the Okta path.
    const claims = byTitle['Which Okta groups or claims the app should trust'];
    expect(claims?.dependsOn.map((d) => d.title)).toContain('Okta SSO path and claims model');
    expect(items.every((d) => d.version === 1 && d.updatedBy === null && !d.overdue)).toBe(true);
    expect(owners).toEqual([...new Set(items.map((d) => d.owner))].sort());
    expect(workstreams).toEqual(['Hosting', 'Identity', 'Observability', 'Org-aware access']);

    const created = await db().select().from(auditEvents).where(eq(auditEvents.action, 'decision.created'));
    expect(created).toHaveLength(9);
    expect(created.every((e) => e.actorId === null)).toBe(true);
    const versions = await db().select().from(decisionVersions);
    expect(versions).toHaveLength(9);
    expect(versions.every((v) => v.version === 1 && v.changed.length === 0)).toBe(true);
  });

  it('is seeded once: another start-up leaves the register alone', async () => {
    await ensureDecisionRegister(db(), systemContext('test'), new Date());
    const [row] = await db().select({ n: sql<number>`count(*)::int` }).from(decisions);
    expect(row?.n).toBe(9);
  });
});

describe('reading', () => {
  it('filters by owner, by status (one or a comma list) and by workstream', async () => {
    const all = (await list(victor)).items;
    const owner = 'Identity and Security';
    const byOwner = await list(victor, `?owner=${encodeURIComponent(owner)}`);
    expect(byOwner.items.map((d) => d.id)).toEqual(all.filter((d) => d.owner === owner).map((d) => d.id));
    expect(byOwner.items.length).toBe(3);
    const drafted = await list(victor, '?status=drafted');
    expect(drafted.items.map((d) => d.title)).toEqual([
      'First Kanopy runtime boundary',
      'Which services belong in Kanopy first',
    ]);
    const two = await list(victor, '?status=drafted,in_discovery');
    expect(two.items.map((d) => d.status).sort()).toEqual(['drafted', 'drafted', 'in_discovery']);
    const both = await list(victor, `?owner=${encodeURIComponent(owner)}&status=in_discovery`);
    expect(both.items).toHaveLength(1);
    expect((await list(victor, '?workstream=Hosting')).items).toHaveLength(2);
    // The filter's choices stay the whole register's.
    expect(drafted.owners).toEqual(byOwner.owners);
    await expectProblem(await victor.get(`${base}?status=maybe`), 400, 'query.status');
    await expectProblem(await victor.get(`${base}?color=red`), 400, 'query.color');
  });

  it('answers one decision and 404 for an unknown id, 400 for a malformed one', async () => {
    const [first] = (await list(victor)).items;
    const one = await ari.json<Decision>(`${base}/${first?.id}`);
    expect(one).toEqual(first);
    await expectProblem(await victor.get(`${base}/00000000-0000-4000-8000-000000000000`), 404);
    await expectProblem(await victor.get(`${base}/00000000-0000-4000-8000-000000000000/history`), 404);
    await expectProblem(await victor.get(`${base}/nope`), 400, 'path.id');
  });

  it('is read by advocates and viewers, and by a token only with readiness:read', async () => {
    expect((await list(ari)).items.length).toBeGreaterThanOrEqual(9);
    const issue = async (scopes: string[]) => {
      const response = await ari.post('/api/v1/tokens', { name: scopes.join(' '), scopes, expiresInDays: 7 });
      expect(response.status, await response.clone().text()).toBe(201);
      return ((await response.json()) as ApiTokenIssued).token;
    };
    const withScope = await issue(['readiness:read']);
    const without = await issue(['insights:read']);
    const viaToken = (token: string, path = base) =>
      fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await viaToken(withScope)).status).toBe(200);
    await expectProblem(await viaToken(without), 403);
    // A token never writes (the write routes take a session).
    const write = await fetch(`${stack.baseUrl}${base}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${withScope}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workstream: 'x', title: 'x', owner: 'x', status: 'drafted' }),
    });
    expect(write.status).toBe(401);
    // No session, no token: 401 (Omar, who has no role, cannot even sign in).
    expect((await fetch(`${stack.baseUrl}${base}`)).status).toBe(401);
  });
});

describe('writing', () => {
  it('creates with the next number, version 1 and an audit event; only admins write', async () => {
    const before = (await list(priya)).items.length;
    const a = await create({ title: '  Pick the first pilot region  ', dueDate: '2020-01-31' });
    expect(a).toMatchObject({ ref: `DEC-${before + 1}`, title: 'Pick the first pilot region', version: 1 });
    expect(a.overdue).toBe(true); // past due and not decided
    expect(a.updatedBy).toEqual({ id: priyaId, name: expect.any(String) });
    const events = await auditOf(a.id);
    expect(events.map((e) => [e.action, e.actorId])).toEqual([['decision.created', priyaId]]);
    expect(await versionsOf(a.id)).toHaveLength(1);

    for (const who of [victor, maya, ari]) {
      await expectProblem(
        await who.post(base, { workstream: 'x', title: 'x', owner: 'x', status: 'drafted' }),
        403,
      );
      await expectProblem(await patch(who, a.id, { version: 1, title: 'Mine now' }), 403);
    }
    expect((await priya.json<Decision>(`${base}/${a.id}`)).version).toBe(1);
  });

  it('edits from the version read, keeps every version, and a stale edit is 409 naming who changed it', async () => {
    const d = await create({ title: 'Choose the analytics warehouse' });
    const first = await patch(priya, d.id, {
      version: 1,
      status: 'needs_decision',
      nextAction: 'Ask Platform',
    });
    expect(first.status, await first.clone().text()).toBe(200);
    const v2 = (await first.json()) as Decision;
    expect(v2).toMatchObject({ version: 2, status: 'needs_decision', nextAction: 'Ask Platform' });

    // Someone who read version 1 edits: refused, and nothing is written.
    const stale = await patch(priya, d.id, { version: 1, title: 'Overwrite' });
    const problem = (await expectProblem(stale, 409, 'body.version')) as DecisionEditConflict;
    expect(problem.detail).toMatch(/changed by .+ meanwhile/);
    expect(problem.detail).toContain('version 2');
    expect(problem.current).toMatchObject({ id: d.id, version: 2, title: 'Choose the analytics warehouse' });
    expect(problem.changedBy?.id).toBe(priyaId);
    expect((await priya.json<Decision>(`${base}/${d.id}`)).title).toBe('Choose the analytics warehouse');

    const v3 = await patch(priya, d.id, {
      version: 2,
      direction: 'Use the platform warehouse',
      status: 'decided',
    });
    expect(v3.status, await v3.clone().text()).toBe(200);
    // Sending what is already there changes nothing: no version, no audit event.
    const same = await patch(priya, d.id, { version: 3, status: 'decided' });
    expect(((await same.json()) as Decision).version).toBe(3);

    const history = await victor.json<DecisionHistory>(`${base}/${d.id}/history`);
    expect(history.items.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(history.items.map((v) => v.changed)).toEqual([
      ['direction', 'status'],
      ['status', 'nextAction'],
      [],
    ]);
    expect(history.items[0]?.state).toMatchObject({
      status: 'decided',
      direction: 'Use the platform warehouse',
    });
    expect(history.items[2]?.state).toMatchObject({ status: 'drafted', nextAction: '' });
    expect(history.items[0]?.changedBy?.id).toBe(priyaId);

    const events = await auditOf(d.id);
    expect(events.map((e) => e.action)).toEqual(['decision.created', 'decision.updated', 'decision.updated']);
    expect(events[1]?.details).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      changed: ['status', 'nextAction'],
    });
    expect(events[2]?.details).toMatchObject({ fromVersion: 2, toVersion: 3, status: 'decided' });
  });

  it('lets exactly one of two concurrent edits from the same version win, and numbers concurrent creates apart', async () => {
    const d = await create({ title: 'Race' });
    const answers = await Promise.all([
      patch(priya, d.id, { version: 1, owner: 'First' }),
      patch(priya, d.id, { version: 1, owner: 'Second' }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await versionsOf(d.id)).map((v) => v.version)).toEqual([1, 2]);
    expect((await auditOf(d.id)).map((e) => e.action)).toEqual(['decision.created', 'decision.updated']);

    const made = await Promise.all([1, 2, 3].map((n) => create({ title: `Parallel ${n}` })));
    const numbers = made.map((m) => m.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(3);
    expect((numbers[2] ?? 0) - (numbers[0] ?? 0)).toBe(2);
  });

  it('writes the edit, its version and its audit event together or not at all', async () => {
    const d = await create({ title: 'Atomic edit' });
    // A version row that is already there makes the version insert fail half-way through the edit.
    await db()
      .insert(decisionVersions)
      .values({ decisionId: d.id, version: 2, state: {}, changed: ['x'], changedAt: new Date() });
    const failed = await patch(priya, d.id, { version: 1, title: 'Half written?' });
    expect(failed.status).toBe(500);
    expect((await priya.json<Decision>(`${base}/${d.id}`)).title).toBe('Atomic edit');
    expect((await auditOf(d.id)).map((e) => e.action)).toEqual(['decision.created']);
    await db()
      .delete(decisionVersions)
      .where(and(eq(decisionVersions.decisionId, d.id), eq(decisionVersions.version, 2)));
    const ok = await patch(priya, d.id, { version: 1, title: 'Whole' });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect((await auditOf(d.id)).map((e) => e.action)).toEqual(['decision.created', 'decision.updated']);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const a = await create({ title: 'Dependency A' });
    const b = await create({ title: 'Dependency B', dependsOn: [a.id] });
    const c = await create({ title: 'Dependency C', dependsOn: [b.id, b.id] });
    expect(c.dependsOn.map((d) => d.id)).toEqual([b.id]);
    expect(b.dependsOn).toEqual([{ id: a.id, ref: a.ref, title: 'Dependency A', status: 'drafted' }]);

    const good = { workstream: 'x', title: 'x', owner: 'x', status: 'drafted' };
    await expectProblem(await priya.post(base, { ...good, title: '   ' }), 400, 'body.title');
    await expectProblem(await priya.post(base, { ...good, status: 'maybe' }), 400, 'body.status');
    await expectProblem(await priya.post(base, { ...good, title: 'x'.repeat(301) }), 400, 'body.title');
    await expectProblem(await priya.post(base, { ...good, extra: 1 }), 400, 'body.extra');
    await expectProblem(await priya.post(base, { ...good, dueDate: '31/01/2027' }), 400, 'body.dueDate');
    await expectProblem(await priya.post(base, { ...good, status: 'decided' }), 400, 'body.direction');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const p = await expectProblem(
      await priya.post(base, { ...good, dependsOn: [unknown] }),
      400,
      'body.dependsOn',
    );
    expect(JSON.stringify(p.errors)).toContain(unknown);

    // A → C would close A → C → B → A.
    const cycle = await expectProblem(
      await patch(priya, a.id, { version: 1, dependsOn: [c.id] }),
      400,
      'body.dependsOn',
    );
    expect(JSON.stringify(cycle.errors)).toContain(`${a.ref} → ${c.ref} → ${b.ref} → ${a.ref}`);
    await expectProblem(await patch(priya, a.id, { version: 1, dependsOn: [a.id] }), 400, 'body.dependsOn');
    await expectProblem(
      await patch(priya, a.id, { version: 1, dependsOn: [unknown] }),
      400,
      'body.dependsOn',
    );
    await expectProblem(await patch(priya, a.id, { version: 1, status: 'decided' }), 400, 'body.direction');
    await expectProblem(await patch(priya, a.id, { version: 1, owner: '' }), 400, 'body.owner');
    await expectProblem(await patch(priya, a.id, { title: 'no version' }), 400, 'body.version');
    await expectProblem(await patch(priya, unknown, { version: 1, title: 'x' }), 404);
    const after = await priya.json<Decision>(`${base}/${a.id}`);
    expect(after.version).toBe(1);
    expect(await versionsOf(a.id)).toHaveLength(1);

    // Dropping B's dependency lifts the cycle: now A may depend on C.
    expect((await patch(priya, b.id, { version: 1, dependsOn: [] })).status).toBe(200);
    const ok = await patch(priya, a.id, { version: 1, dependsOn: [c.id] });
    expect(ok.status, await ok.clone().text()).toBe(200);
  });

  it('marks a decision overdue from its due date until it is decided', async () => {
    const d = await create({ title: 'Due soon', dueDate: '2999-12-31' });
    expect(d.overdue).toBe(false);
    const late = (await (await patch(priya, d.id, { version: 1, dueDate: '2000-01-01' })).json()) as Decision;
    expect(late.overdue).toBe(true);
    const done = await patch(priya, d.id, { version: 2, status: 'decided', direction: 'Done' });
    expect(((await done.json()) as Decision).overdue).toBe(false);
    const cleared = await patch(priya, d.id, { version: 3, dueDate: null, status: 'blocked' });
    expect((await cleared.json()) as Decision).toMatchObject({ dueDate: null, overdue: false, version: 4 });
  });
});
