import { randomUUID } from 'node:crypto';
import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsightListQuery } from '../../src/contract/api/insights.ts';
import type { SavedView, SavedViewList } from '../../src/contract/api/review.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { savedViews } from '../../src/server/db/schema.reporting.ts';
import { auditEvents } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let clock = new Date();
const tick = () => {
  clock = new Date(clock.getTime() + 1000);
};

let stack: TestStack;
let ari: Session; // advocate
let ben: Session; // advocate
let priya: Session; // admin
let victor: Session; // viewer
const id: Record<string, string> = {};

const db = () => stack.db.database.db;
const base = '/api/v1/saved-views';

function create(who: Session, body: Record<string, unknown>) {
  tick();
  return who.post(base, { id: randomUUID(), ...body });
}
const patch = (who: Session, viewId: string, body: unknown) => {
  tick();
  return who.send('PATCH', `${base}/${viewId}`, body);
};
const remove = (who: Session, viewId: string) =>
  who.fetch(`${base}/${viewId}`, { method: 'DELETE', headers: { 'x-csrf-token': who.csrf } });
const list = (who: Session, query = '') => who.json<SavedViewList>(`${base}${query}`);

async function ok(response: Response, status = 200): Promise<SavedView> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as SavedView;
}
async function problem(response: Response, status: number) {
  expect(response.status, await response.clone().text()).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as { detail?: string; errors?: { field: string; message: string }[] };
}
const fieldsOf = async (response: Response) =>
  ((await problem(response, 400)).errors ?? []).map((e) => e.field);

const viewRows = async () => Number((await db().select({ n: count() }).from(savedViews))[0]?.n);
async function events(action: string, targetId: string) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)))
    .orderBy(auditEvents.seq);
}

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
  const names = ['Ari', 'Ben', 'Priya', 'Victor'];
  const sessions = await Promise.all(names.map((who) => stack.signIn(who)));
  [ari, ben, priya, victor] = sessions as [Session, Session, Session, Session];
  for (const [i, who] of names.entries()) {
    id[who] = (await (sessions[i] as Session).json<{ person: { id: string } }>('/api/v1/me')).person.id;
  }
});
afterAll(async () => {
  await stack?.close();
});

describe('saving a view', () => {
  let view: SavedView;

  it('stores the canonical query-string form once: 201, then 200 on a resend, one audit event', async () => {
    const body = {
      id: randomUUID(),
      name: '  Critical bugs  ',
      filters: {
        followUp: 'true',
        tags: ' driver, timeout,driver ',
        type: 'bug_report',
        q: ' "cold start" ',
      },
    };
    view = await ok(await ari.post(base, body), 201);
    expect(view).toEqual({
      id: body.id,
      name: 'Critical bugs',
      filters: { q: '"cold start"', type: 'bug_report', tags: 'driver,timeout', followUp: 'true' },
      shared: false,
      owner: { id: id.Ari, name: 'Ari Levy' },
      mine: true,
      createdAt: clock.toISOString(),
      updatedAt: clock.toISOString(),
    });
    // The stored form is exactly what the list accepts.
    expect(InsightListQuery.safeParse(view.filters).success).toBe(true);
    expect(await ok(await ari.post(base, { ...body, name: 'Another name' }))).toEqual(view);
    expect(await viewRows()).toBe(1);
    const [event, ...more] = await events('saved_view.created', view.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ actorId: id.Ari, details: { name: 'Critical bugs', shared: false } });
  });

  it('answers 409 when the id is someone else’s, revealing nothing', async () => {
    const response = await ben.post(base, { id: view.id, name: 'Mine', filters: {} });
    const answer = await problem(response, 409);
    expect(answer.detail).toMatch(/id is already in use/);
    expect(JSON.stringify(answer)).not.toContain('Critical');
    expect(await viewRows()).toBe(1);
  });

  it('validates filters through InsightFilter, naming body.filters.<key>; nothing is written', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ color: 'red' }, ['body.filters.color']],
      [{ type: 'rant' }, ['body.filters.type']],
      [{ from: '2025-13-01', eventId: 'nope' }, ['body.filters.eventId', 'body.filters.from']],
      [{ followUp: 'yes' }, ['body.filters.followUp']],
      [{ q: '   ' }, ['body.filters.q']],
      [{ followUp: true }, ['body.filters.followUp']],
    ];
    for (const [filters, fields] of cases) {
      const response = await create(ari, { name: `Bad ${randomUUID()}`, filters });
      expect((await fieldsOf(response)).sort()).toEqual(fields);
    }
    expect(await fieldsOf(await create(ari, { name: ' ', filters: {} }))).toEqual(['body.name']);
    expect(
      await fieldsOf(await create(ari, { name: 'x'.repeat(LIMITS.savedViewName + 1), filters: {} })),
    ).toEqual(['body.name']);
    expect(await fieldsOf(await create(ari, { name: 'No filters' }))).toEqual(['body.filters']);
    expect(await fieldsOf(await create(ari, { name: 'Extra', filters: {}, color: 1 }))).toEqual([
      'body.color',
    ]);
    expect(await viewRows()).toBe(1);
    expect(await fieldsOf(await patch(ari, view.id, { filters: { sentiment: 'meh' } }))).toEqual([
      'body.filters.sentiment',
    ]);
    expect(await fieldsOf(await patch(ari, view.id, {}))).toEqual(['body']);
  });

  it('keeps names unique per owner, ignoring case (409 with a clear message)', async () => {
    const clash = await problem(await create(ari, { name: 'CRITICAL BUGS', filters: {} }), 409);
    expect(clash.detail).toBe(
      'You already have a saved view named "CRITICAL BUGS" (names are compared ignoring case). Choose another name.',
    );
    // Another person may use the same name.
    await ok(await create(ben, { name: 'critical bugs', filters: { priority: 'critical' } }), 201);
    const other = await ok(
      await create(ari, { name: 'Feature asks', filters: { type: 'feature_request' } }),
      201,
    );
    expect((await problem(await patch(ari, other.id, { name: 'critical Bugs' }), 409)).detail).toMatch(
      /already have a saved view named/,
    );
    // Changing only the case of its own name is fine.
    expect((await ok(await patch(ari, other.id, { name: 'FEATURE ASKS' }))).name).toBe('FEATURE ASKS');
  });

  it(`keeps at most ${LIMITS.savedViewsPerPerson} views per person (409), a resend still answering 200`, async () => {
    const have = Number(
      (
        await db()
          .select({ n: count() })
          .from(savedViews)
          .where(eq(savedViews.ownerId, id.Ari as string))
      )[0]?.n,
    );
    await db()
      .insert(savedViews)
      .values(
        Array.from({ length: LIMITS.savedViewsPerPerson - have }, (_, i) => ({
          id: randomUUID(),
          ownerId: id.Ari as string,
          name: `Filler ${String(i).padStart(2, '0')}`,
          filters: {},
        })),
      );
    const full = await problem(await create(ari, { name: 'One too many', filters: {} }), 409);
    expect(full.detail).toMatch(new RegExp(`already have ${LIMITS.savedViewsPerPerson} saved views`));
    expect(await ok(await ari.post(base, { id: view.id, name: 'Critical bugs', filters: {} }))).toEqual(view);
    await db()
      .delete(savedViews)
      .where(and(eq(savedViews.ownerId, id.Ari as string), like(savedViews.name, 'Filler %')));
  });
});

async function rowOf(viewId: string) {
  const [row] = await db().select().from(savedViews).where(eq(savedViews.id, viewId));
  if (!row) throw new Error('no such view');
  return row;
}

describe('sharing and privacy', () => {
  let aris: SavedView;
  let arisPrivate: SavedView;

  beforeAll(async () => {
    aris = await ok(
      await create(ari, { name: 'AMER escalations', filters: { team: 'amer' }, shared: true }),
      201,
    );
    arisPrivate = await ok(await create(ari, { name: 'My drafts', filters: { authorId: id.Ari } }), 201);
  });

  it('lists mine first, then the views others shared, each by name; never others’ private views', async () => {
    await ok(await create(ben, { name: 'Ben shared', filters: {}, shared: true }), 201);
    await ok(await create(ben, { name: 'a private one of Ben', filters: {} }), 201);
    const seenByAri = await list(ari);
    expect(seenByAri.items.map((v) => [v.name, v.mine])).toEqual([
      ['AMER escalations', true],
      ['Critical bugs', true],
      ['FEATURE ASKS', true],
      ['My drafts', true],
      ['Ben shared', false],
    ]);
    expect(seenByAri.nextCursor).toBeNull();
    const seenByVictor = await list(victor);
    expect(seenByVictor.items.map((v) => [v.name, v.owner.name])).toEqual([
      ['AMER escalations', 'Ari Levy'],
      ['Ben shared', 'Ben Carter'],
    ]);
  });

  it('pages with a keyset cursor, never repeating or skipping', async () => {
    const all = (await list(ben)).items;
    expect(all.map((v) => v.name)).toEqual([
      'a private one of Ben',
      'Ben shared',
      'critical bugs',
      'AMER escalations',
    ]);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: SavedViewList = await list(ben, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items.map((v) => v.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.map((v) => v.id));
    expect(await fieldsOf(await ben.get(`${base}?cursor=garbage`))).toEqual(['query.cursor']);
    expect(await fieldsOf(await ben.get(`${base}?limit=101`))).toEqual(['query.limit']);
  });

  it('answers 404 for someone else’s private view (admins included) and 403 for a shared one', async () => {
    for (const who of [ben, priya, victor]) {
      expect((await patch(who, arisPrivate.id, { name: 'Taken over' })).status).toBe(404);
      expect((await remove(who, arisPrivate.id)).status).toBe(404);
    }
    expect((await patch(ari, randomUUID(), { name: 'Nothing' })).status).toBe(404);
    for (const who of [ben, victor]) {
      expect((await problem(await patch(who, aris.id, { shared: false }), 403)).detail).toMatch(
        /Only the owner/,
      );
      expect((await remove(who, aris.id)).status).toBe(403);
    }
    expect(await rowOf(arisPrivate.id)).toMatchObject({ name: 'My drafts', shared: false });
    expect(await rowOf(aris.id)).toMatchObject({ name: 'AMER escalations', shared: true });
  });

  it('lets viewers keep their own views', async () => {
    const mine = await ok(
      await create(victor, { name: 'Leadership weekly', filters: { priority: 'critical' } }),
      201,
    );
    expect(mine.owner.id).toBe(id.Victor);
    expect(await ok(await patch(victor, mine.id, { shared: true }))).toMatchObject({
      shared: true,
      mine: true,
    });
    expect((await remove(victor, mine.id)).status).toBe(204);
  });

  it('audits what changed, and nothing when nothing changed', async () => {
    const updated = await ok(
      await patch(ari, aris.id, { name: 'AMER escalations', filters: { team: ' amer ' } }),
    );
    expect(updated.updatedAt).toBe(aris.updatedAt);
    expect(await events('saved_view.updated', aris.id)).toEqual([]);

    const renamed = await ok(
      await patch(ari, aris.id, { name: 'AMER critical', filters: { team: 'amer', priority: 'critical' } }),
    );
    expect(renamed).toMatchObject({
      name: 'AMER critical',
      filters: { priority: 'critical', team: 'amer' },
      shared: true,
      updatedAt: clock.toISOString(),
      createdAt: aris.createdAt,
    });
    const [event] = await events('saved_view.updated', aris.id);
    expect(event).toMatchObject({
      actorId: id.Ari,
      details: { name: 'AMER critical', shared: true, changed: ['name', 'filters'] },
    });
  });

  it('lets an admin edit or delete a shared view (not a private one), audited as the admin', async () => {
    const unshared = await ok(await patch(priya, aris.id, { shared: false }));
    expect(unshared).toMatchObject({ shared: false, mine: false, owner: { id: id.Ari } });
    const [, event] = await events('saved_view.updated', aris.id);
    expect(event).toMatchObject({ actorId: id.Priya, details: { changed: ['shared'], shared: false } });
    // Now private: gone for the admin too.
    expect((await remove(priya, aris.id)).status).toBe(404);
    expect((await list(priya)).items.map((v) => v.id)).not.toContain(aris.id);

    expect((await remove(ari, aris.id)).status).toBe(204);
    expect((await remove(ari, aris.id)).status).toBe(404);
    const [deleted] = await events('saved_view.deleted', aris.id);
    expect(deleted).toMatchObject({ actorId: id.Ari, details: { name: 'AMER critical' } });
    expect(await db().select().from(savedViews).where(eq(savedViews.id, aris.id))).toEqual([]);
  });

  it('lists with a reporting:read token; changes need a session', async () => {
    const response = await ben.post('/api/v1/tokens', {
      name: 'views',
      scopes: ['reporting:read'],
      expiresInDays: 7,
    });
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as ApiTokenIssued;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const listed = await call('GET', base);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as SavedViewList).items.every((v) => v.mine || v.shared)).toBe(true);
    const before = await viewRows();
    const refused = await call('POST', base, { id: randomUUID(), name: 'By token', filters: {} });
    expect([401, 403]).toContain(refused.status);
    expect(await viewRows()).toBe(before);
  });
});
