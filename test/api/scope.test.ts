import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import type { Dashboard } from '../../src/contract/api/reporting.ts';
import { accessExceptions, people } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Reporting scope from the org source, end to end: the manager chain and Builder Relations membership make a
 * manager of a reporting tree (rule R7), the tree is applied inside every insight query, and another scope's
 * insight answers 404. Exceptions widen the scope (org unit) until they expire.
 */
let stack: TestStack;
const s: Record<string, Session> = {};
const insightOf: Record<string, string> = {};
const idOf: Record<string, string> = {};
const db = () => stack.db.database.db;

function newInsight(text: string) {
  return {
    id: randomUUID(),
    text,
    type: 'feature_request',
    productAreas: ['atlas_search'],
    sentiment: 'neutral',
    priority: 'medium',
    tags: [],
    followUp: false,
    capturedAt: new Date().toISOString(),
  };
}

async function setOrg(who: string, values: Partial<typeof people.$inferInsert>) {
  await db()
    .update(people)
    .set(values)
    .where(eq(people.id, idOf[who] ?? ''));
}

beforeAll(async () => {
  stack = await startStack();
  for (const who of ['erik', 'fatima', 'gustav', 'ben', 'camila', 'ari', 'maya']) {
    const session = await stack.signIn(who[0]?.toUpperCase() + who.slice(1));
    s[who] = session;
    const me = await session.json<Me>('/api/v1/me');
    idOf[who] = me.person.id;
    const body = newInsight(`${who} says hello`);
    expect((await session.post('/api/v1/insights', body)).status).toBe(201);
    insightOf[who] = body.id;
  }
  // The org source: everyone in Builder Relations; Erik manages Fatima, Gustav and Ben; Ben manages Camila.
  for (const who of Object.keys(idOf))
    await setOrg(who, { builderRelations: true, department: 'Field AMER' });
  for (const who of ['fatima', 'gustav', 'ben']) await setOrg(who, { managerId: idOf.erik });
  await setOrg('camila', { managerId: idOf.ben });
  await setOrg('fatima', { department: 'Field EMEA' });
  // Erik is a manager by org position only: no manager group, no team group.
  await setOrg('erik', { groups: ['builder-relations'], team: null });
});
afterAll(async () => {
  await stack?.close();
});

const visible = async (who: string) => {
  const page = await (s[who] as Session).json<{ items: { id: string; author: { name: string } }[] }>(
    '/api/v1/insights?limit=100',
  );
  return page.items.map((i) => i.id);
};

describe('reporting-tree scope from the org source', () => {
  it('makes Erik a manager of his reporting tree, with the rule and the facts that matched', async () => {
    const me = await (s.erik as Session).json<Me>('/api/v1/me');
    expect(me.role).toBe('manager');
    expect(me.scope).toEqual({ kind: 'limited', teams: [], trees: [idOf.erik], units: [] });
    expect(me.scopeLabel).toBe('Your own insights, reporting tree of you');
    expect(me.entitlements.map((e) => e.reason)).toContain(
      'Manager (reporting tree) because rule R7 matched: in Builder Relations, 3 direct reports in Builder Relations',
    );
  });

  it('shows exactly the tree (transitively) in lists, lookups and dashboard counts', async () => {
    const ids = await visible('erik');
    const expected = ['erik', 'fatima', 'gustav', 'ben', 'camila'].map((w) => insightOf[w]);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect((await (s.erik as Session).get(`/api/v1/insights/${insightOf.camila}`)).status).toBe(200);
    const outside = await (s.erik as Session).get(`/api/v1/insights/${insightOf.ari}`);
    expect(outside.status).toBe(404);
    const dashboard = await (s.erik as Session).json<Dashboard>('/api/v1/dashboard');
    expect(dashboard.cards.find((c) => c.key === 'insights')?.value).toBe(expected.length);
  });

  it('follows a move at once: Ben leaves the tree and takes Camila with him', async () => {
    await setOrg('ben', { managerId: idOf.maya });
    const ids = await visible('erik');
    expect(ids).not.toContain(insightOf.ben);
    expect(ids).not.toContain(insightOf.camila);
    expect((await (s.erik as Session).get(`/api/v1/insights/${insightOf.camila}`)).status).toBe(404);
    await setOrg('ben', { managerId: idOf.erik });
  });

  it('drops the tree when the direct reports leave Builder Relations', async () => {
    for (const who of ['fatima', 'gustav', 'ben']) await setOrg(who, { builderRelations: false });
    const me = await (s.erik as Session).json<Me>('/api/v1/me');
    expect(me.role).toBe('advocate');
    expect(await visible('erik')).toEqual([insightOf.erik]);
    for (const who of ['fatima', 'gustav', 'ben']) await setOrg(who, { builderRelations: true });
  });

  it('widens a scope with an exception for an org unit, until it expires', async () => {
    const before = await visible('ari');
    expect(before).not.toContain(insightOf.fatima);
    const [ex] = await db()
      .insert(accessExceptions)
      .values({
        subjectId: idOf.ari ?? '',
        role: 'advocate',
        scopeKind: 'org_unit',
        scopeTarget: 'Field EMEA',
        justification: 'Covering EMEA while the EMEA manager is on leave',
        status: 'active',
        requestedBy: idOf.maya ?? '',
        requestedAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    expect(await visible('ari')).toContain(insightOf.fatima);
    const me = await (s.ari as Session).json<Me>('/api/v1/me');
    expect(me.scope).toMatchObject({ kind: 'limited', units: ['Field EMEA'] });
    expect(me.entitlements.find((e) => e.source === 'exception')?.exceptionId).toBe(ex?.id);

    await db()
      .update(accessExceptions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accessExceptions.id, ex?.id ?? ''));
    expect(await visible('ari')).not.toContain(insightOf.fatima);
  });
});
