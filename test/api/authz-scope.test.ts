import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import { people } from '../../src/server/db/schema.ts';
import { type RouteEntry, routeTable } from '../../src/server/plugins/route-contract.ts';
import type { RecordKind } from '../../src/server/plugins/types.ts';
import { outboxInsight } from '../helpers/insights.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The scope dimension of the authorization matrix: for every kind of record a route's path can name
 * (`config.access.record`), real records inside and outside each caller's reach, and every single-record GET
 * route of that kind (from the route table) called by every caller it admits: what the caller may see answers
 * 200, anything else 404 — never 403, which would reveal that it exists. Records that belong to one person
 * (sessions, tokens, private saved views) are tried with the changes other people could attempt.
 *
 * Who is where (the dev workforce): Maya manages Ari and Ben (AMER); Erik manages Fatima (EMEA); Priya is an
 * admin; Victor a viewer.
 */
const DAY = 86_400_000;
let stack: TestStack;
const s: Record<string, Session> = {};
/** The signed-in session of one person (they all sign in before anything else). */
function S(who: string): Session {
  const session = s[who];
  if (!session) throw new Error(`${who} is not signed in`);
  return session;
}
const id: Record<string, string> = {};
let table: readonly RouteEntry[];
let ownRecords: { sessionId: string; tokenId: string; viewId: string };

/** Per record kind: its records by label, and who (by session name) sees which. */
const fixtures: Partial<
  Record<Exclude<RecordKind, 'shared'>, { records: Record<string, string>; sees: Record<string, string[]> }>
> = {};

async function created(response: Response, what: string): Promise<string> {
  const text = await response.text();
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`${what}: ${response.status} ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}

beforeAll(async () => {
  stack = await startStack();
  for (const who of ['Priya', 'Maya', 'Erik', 'Ari', 'Ben', 'Fatima', 'Victor']) {
    const session = await stack.signIn(who, { auth: 'mfa' });
    s[who.toLowerCase()] = session;
    id[who.toLowerCase()] = (await session.json<Me>('/api/v1/me')).person.id;
  }
  const [ari, ben, fatima, maya, priya] = [S('ari'), S('ben'), S('fatima'), S('maya'), S('priya')];
  const insights: Record<string, string> = {};
  for (const [who, session] of [
    ['ari', ari],
    ['ben', ben],
    ['fatima', fatima],
  ] as const)
    insights[who] = await created(
      await session.post('/api/v1/insights', outboxInsight({ text: `${who} wants faster search` })),
      'insight',
    );
  fixtures.insight = {
    records: insights,
    sees: {
      priya: ['ari', 'ben', 'fatima'],
      victor: ['ari', 'ben', 'fatima'],
      maya: ['ari', 'ben'],
      erik: ['fatima'],
      ari: await visibleTo(ari, insights),
    },
  };
  fixtures.person = {
    records: { ari: id.ari ?? '', ben: id.ben ?? '', fatima: id.fatima ?? '' },
    sees: { priya: ['ari', 'ben', 'fatima'], maya: ['ari', 'ben'], erik: ['fatima'] },
  };
  const form = (session: Session, title: string) =>
    session.post('/api/v1/forms', { template: 'blank', title }).then((r) => created(r, 'form'));
  fixtures.form = {
    records: {
      ben: await form(ben, 'Ben asks the room'),
      fatima: await form(fatima, 'Fatima asks the room'),
    },
    sees: { priya: ['ben', 'fatima'], maya: ['ben'], erik: ['fatima'], ari: [] },
  };
  const csv = readFileSync('test/fixtures/pmo/messy.csv', 'utf8');
  fixtures.import = {
    records: {
      maya: await created(await maya.post('/api/v1/event-imports', { fileName: 'pmo.csv', csv }), 'import'),
    },
    sees: { priya: ['maya'], maya: ['maya'], erik: [] },
  };
  const exception = await fatima.post('/api/v1/access/exceptions', {
    subjectId: id.fatima,
    role: 'manager',
    scopeKind: 'team',
    justification: 'Covering the EMEA team while Erik is on leave',
    expiresAt: new Date(Date.now() + 7 * DAY).toISOString(),
  });
  fixtures.exception = {
    records: { fatima: await created(exception, 'exception') },
    sees: { priya: ['fatima'], erik: ['fatima'], maya: [], ari: [], victor: [] },
  };
  // Ben reports to Maya, as the org source would say: she reviews his access.
  await stack.db.database.db
    .update(people)
    .set({ managerId: id.maya ?? null })
    .where(eq(people.id, id.ben ?? ''));
  const review = await priya.post('/api/v1/access-reviews', {
    name: 'Matrix review',
    kind: 'custom',
    personIds: [id.ben],
    dueAt: new Date(Date.now() + 7 * DAY).toISOString(),
  });
  fixtures.review = {
    records: { ben: await created(review, 'access review') },
    sees: { priya: ['ben'], maya: ['ben'], ari: [], erik: [], victor: [] },
  };
  const sessionId = (await maya.json<{ items: { id: string }[] }>('/api/v1/sessions')).items[0]?.id ?? '';
  const tokenId = await created(
    await maya.post('/api/v1/tokens', { name: 'maya-matrix', scopes: ['insights:read'], expiresInDays: 1 }),
    'token',
  );
  const viewId = randomUUID();
  await created(
    await maya.post('/api/v1/saved-views', { id: viewId, name: 'Mine', filters: {}, shared: false }),
    'saved view',
  );
  ownRecords = { sessionId, tokenId, viewId };
  fixtures.own = {
    records: { session: sessionId, token: tokenId, view: viewId },
    sees: { maya: ['session', 'token', 'view'] },
  };
  table = routeTable(stack.app);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

/** What an advocate sees depends on the advocate rule's scope (own, or the team): read it from the API. */
async function visibleTo(who: Session, records: Record<string, string>): Promise<string[]> {
  const seen: string[] = [];
  for (const [label, recordId] of Object.entries(records))
    if ((await who.get(`/api/v1/insights/${recordId}`)).status === 200) seen.push(label);
  return seen;
}

const singleRecordGets = (kind: RecordKind) =>
  table.filter(
    (r) => r.method === 'GET' && r.config.access?.record === kind && (r.url.match(/:/g) ?? []).length === 1,
  );

describe('records of another scope answer 404', () => {
  it('has real records for every kind of record a route names', () => {
    const kinds = new Set(table.map((r) => r.config.access?.record).filter((k) => k && k !== 'shared'));
    expect([...kinds].sort()).toEqual(Object.keys(fixtures).sort());
  });

  for (const kind of ['insight', 'person', 'form', 'import', 'exception', 'review'] as const) {
    it(`${kind}: every single-record GET route answers 200 inside the caller's reach and 404 outside`, async () => {
      const fixture = fixtures[kind];
      if (!fixture) throw new Error(`no fixture for ${kind}`);
      const routes = singleRecordGets(kind);
      expect(routes.length).toBeGreaterThan(0);
      const wrong: string[] = [];
      let inside = 0;
      let outside = 0;
      for (const route of routes)
        for (const [who, sees] of Object.entries(fixture.sees)) {
          const session = s[who];
          const role = session && ((await session.json<Me>('/api/v1/me')).role as string);
          if (!session || !route.config.access?.roles.includes(role as never)) continue;
          for (const [label, recordId] of Object.entries(fixture.records)) {
            const status = (await session.get(route.url.replace(/:\w+/, recordId))).status;
            const want = sees.includes(label) ? 200 : 404;
            if (want === 200) inside += 1;
            else outside += 1;
            if (status !== want)
              wrong.push(`${who} GET ${route.url} (${label}'s): ${status}, expected ${want}`);
          }
        }
      expect(wrong).toEqual([]);
      expect(inside).toBeGreaterThan(0);
      expect(outside).toBeGreaterThan(0);
    });
  }

  it("own: another person's session, token or private saved view does not exist for you (admins included)", async () => {
    const [maya, ari, priya] = [S('maya'), S('ari'), S('priya')];
    const { sessionId, tokenId, viewId } = ownRecords;
    const attempts: [string, string, unknown][] = [
      ['POST', `/api/v1/sessions/${sessionId}/end`, {}],
      ['POST', `/api/v1/tokens/${tokenId}/revoke`, {}],
      ['PATCH', `/api/v1/saved-views/${viewId}`, { name: 'Not yours' }],
      ['DELETE', `/api/v1/saved-views/${viewId}`, {}],
    ];
    for (const who of [ari, priya])
      for (const [method, path, body] of attempts)
        expect({ method, path, status: (await who.send(method, path, body)).status }).toEqual({
          method,
          path,
          status: 404,
        });
    // Still Maya's, untouched.
    expect((await maya.get('/api/v1/sessions')).status).toBe(200);
    const views = await maya.json<{ items: { id: string; name: string }[] }>('/api/v1/saved-views');
    expect(views.items.find((v) => v.id === viewId)?.name).toBe('Mine');
  });
});
