import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_FAMILIES,
  type AuditCatalog,
  type AuditEventPage,
  type AuditEventView,
  type AuditPersonHistory,
} from '../../src/contract/api/audit.ts';
import type { Me } from '../../src/contract/api/me.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { AUDIT_CATALOG, type AuditAction, type AuditDetails } from '../../src/contract/audit-events.ts';
import { auditEvents, people } from '../../src/server/db/schema.ts';
import { aboutPerson } from '../../src/server/modules/audit/audit.history.ts';
import { audit } from '../../src/server/modules/audit/audit.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { isAdminOnly } from '../../src/server/plugins/access.ts';
import { routeTable } from '../../src/server/plugins/route-contract.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let priya: Session; // admin (MFA)
let maya: Session; // manager
let ari: Session; // advocate
let ben: Session; // advocate: the person whose history is read
let victor: Session; // viewer
const idOf: Record<string, string> = {};
let benIdp: { issuer: string | null; subject: string | null };

const db = () => stack.db.database.db;

beforeAll(async () => {
  stack = await startStack();
  [maya, ari, ben, victor] = (await Promise.all(
    ['Maya', 'Ari', 'Ben', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  for (const [name, session] of Object.entries({ priya, maya, ari, ben, victor }))
    idOf[name] = (await session.json<Me>('/api/v1/me')).person.id;
  const [row] = await db()
    .select({ issuer: people.issuer, subject: people.subject })
    .from(people)
    .where(eq(people.id, idOf.ben as string));
  benIdp = row ?? { issuer: null, subject: null };
});
afterAll(async () => {
  await stack?.close();
});

/** Write an event as a service would (audit() in a transaction), acting as `actor` (null: the system). */
async function seed<A extends AuditAction>(
  action: A,
  details: AuditDetails<A>,
  options: {
    actor?: string | null;
    targetId?: string | null;
    outcome?: 'failure';
    breakGlass?: boolean;
  } = {},
) {
  const actor = options.actor ?? null;
  const written = await db().transaction((tx) =>
    audit(tx, systemContext('test'), {
      action,
      details,
      targetId: options.targetId ?? null,
      ...(options.outcome ? { outcome: options.outcome } : {}),
      ...(options.breakGlass ? { breakGlass: true } : {}),
      actor: { personId: actor, sessionId: null, role: actor ? 'manager' : null },
    }),
  );
  const [row] = await db()
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(eq(auditEvents.id, written.id));
  return row?.seq as number;
}

async function get<T>(who: Session, path: string, status = 200): Promise<T> {
  const response = await who.get(path);
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

const search = (query: Record<string, string>) =>
  get<AuditEventPage>(priya, `/api/v1/audit/events?${new URLSearchParams(query)}`);

/** Every page of a listing, following nextCursor. */
async function everything(path: string, query: Record<string, string> = {}): Promise<AuditEventView[]> {
  const items: AuditEventView[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: '200', ...(cursor ? { cursor } : {}) });
    const page: AuditEventPage = await get(priya, `${path}?${params}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const seqs = (items: readonly AuditEventView[]) => items.map((e) => e.seq);

/** Wait until an event the hook writes after the response is there (it never delays the answer). */
async function recorded(action: string, actor: string, route: string) {
  for (let i = 0; i < 50; i += 1) {
    const rows = await db()
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, action), eq(auditEvents.actorId, actor), eq(auditEvents.targetId, route)),
      );
    if (rows.length > 0) return rows;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return [];
}

describe('searching the audit log', () => {
  it('each filter narrows to exactly the events that match it', async () => {
    const exceptionId = randomUUID();
    await seed(
      'access.exception.requested',
      {
        subjectId: idOf.ben as string,
        role: 'manager',
        scopeKind: 'team',
        scopeTarget: null,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        justification: 'Covering for the team lead this week',
      },
      { actor: idOf.maya, targetId: exceptionId },
    );
    await seed(
      'auth.sign_in.failed',
      {
        reason: 'not_entitled',
        message: 'No mapped group',
        issuer: benIdp.issuer ?? '',
        subject: benIdp.subject ?? '',
      },
      { outcome: 'failure' },
    );
    await seed(
      'break_glass.review.closed',
      { notes: 'Reviewed' },
      { actor: idOf.priya, targetId: randomUUID(), breakGlass: true },
    );

    const all = await everything('/api/v1/audit/events');
    expect(seqs(all)).toEqual([...seqs(all)].sort((a, b) => b - a));
    const middle = all[Math.floor(all.length / 2)] as AuditEventView;
    const cases: [Record<string, string>, (e: AuditEventView) => boolean][] = [
      [{ actor: idOf.maya as string }, (e) => e.actor?.id === idOf.maya],
      [
        { targetType: 'access_exception', targetId: exceptionId },
        (e) => e.target.type === 'access_exception' && e.target.id === exceptionId,
      ],
      [{ targetType: 'person' }, (e) => e.target.type === 'person'],
      [{ action: 'auth.sign_in.failed' }, (e) => e.action === 'auth.sign_in.failed'],
      [{ action: 'auth.' }, (e) => e.action.startsWith('auth.')],
      [{ outcome: 'failure' }, (e) => e.outcome === 'failure'],
      [{ breakGlass: 'true' }, (e) => e.breakGlass],
      [{ from: middle.occurredAt }, (e) => e.occurredAt >= middle.occurredAt],
      [{ to: middle.occurredAt }, (e) => e.occurredAt < middle.occurredAt],
    ];
    for (const [query, matches] of cases) {
      const expected = seqs(all.filter(matches));
      expect(expected.length, JSON.stringify(query)).toBeGreaterThan(0);
      expect({ query, seqs: seqs(await everything('/api/v1/audit/events', query)) }).toEqual({
        query,
        seqs: expected,
      });
    }

    const [request] = (await search({ targetType: 'access_exception', targetId: exceptionId })).items;
    expect(request).toMatchObject({
      action: 'access.exception.requested',
      family: 'access',
      description: AUDIT_CATALOG['access.exception.requested'].description,
      outcome: 'success',
      actor: { id: idOf.maya, displayName: 'Maya Patel' },
      target: { type: 'access_exception', id: exceptionId, label: null },
      details: { subjectId: idOf.ben, justification: 'Covering for the team lead this week' },
    });
    const signIn = (await search({ action: 'auth.sign_in.succeeded', actor: idOf.ari as string })).items[0];
    expect(signIn).toMatchObject({
      target: { type: 'person', id: idOf.ari, label: 'Ari Levy' },
      actor: { id: idOf.ari, displayName: 'Ari Levy', role: 'advocate' },
      breakGlass: false,
      tokenId: null,
    });
    expect(signIn?.requestId).toBeTruthy();
  });

  it('pages by seq, newest first: stable while events are appended, and a cursor keeps its filters', async () => {
    const all = await everything('/api/v1/audit/events');
    const first = await search({ limit: '3' });
    expect(seqs(first.items)).toEqual(seqs(all).slice(0, 3));
    await seed('demo.seeded', { people: 1, events: 0, insights: 0 });
    const rest = await everything('/api/v1/audit/events', { cursor: first.nextCursor as string });
    expect([...seqs(first.items), ...seqs(rest)]).toEqual(seqs(all));

    const response = await priya.get(
      `/api/v1/audit/events?${new URLSearchParams({ cursor: first.nextCursor as string, outcome: 'failure' })}`,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'query.cursor' }] });
  });

  it('answers 400 naming the field for bad or unbounded input', async () => {
    const cases: [string, string][] = [
      ['actor=not-a-uuid', 'query.actor'],
      ['from=yesterday', 'query.from'],
      ['to=2025-13-01T00:00:00Z', 'query.to'],
      ['from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z', 'query.to'],
      ['action=Auth', 'query.action'],
      ['action=auth.nothing_like_this', 'query.action'],
      ['action=zzz.', 'query.action'],
      ['targetId=abc', 'query.targetType'],
      ['targetType=planet', 'query.targetType'],
      ['outcome=maybe', 'query.outcome'],
      ['breakGlass=yes', 'query.breakGlass'],
      ['limit=201', 'query.limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
      ['sort=seq', 'query.sort'],
    ];
    for (const [query, field] of cases) {
      const response = await priya.get(`/api/v1/audit/events?${query}`);
      const body = (await response.json()) as { errors?: { field: string }[] };
      expect({ query, status: response.status, fields: body.errors?.map((e) => e.field) }).toEqual({
        query,
        status: 400,
        fields: [field],
      });
    }
    expect((await priya.get('/api/v1/audit/people/nope')).status).toBe(400);
    expect((await priya.get(`/api/v1/audit/people/${randomUUID()}`)).status).toBe(404);
  });

  it('lists the catalog: every action with family, target type and typed detail fields', async () => {
    const catalog = await get<AuditCatalog>(priya, '/api/v1/audit/catalog');
    expect(catalog.actions).toHaveLength(Object.keys(AUDIT_CATALOG).length);
    expect(catalog.families).toEqual(expect.arrayContaining(['auth', 'access', 'request', 'org']));
    expect(catalog.actions.find((a) => a.action === 'access.denied')).toMatchObject({
      family: 'access',
      targetType: 'route',
      fields: expect.arrayContaining([
        { name: 'status', type: 'integer', optional: false, description: null },
      ]),
    });
  });

  it('refuses every other role (403), and records the refusal', async () => {
    for (const who of [maya, ari, victor]) {
      for (const path of [
        '/api/v1/audit/events',
        '/api/v1/audit/catalog',
        `/api/v1/audit/people/${idOf.ben}`,
      ])
        expect((await who.get(path)).status).toBe(403);
    }
    const [denied] = await recorded('access.denied', idOf.maya as string, '/api/v1/audit/events');
    expect(denied).toMatchObject({
      outcome: 'failure',
      actorRole: 'manager',
      targetType: 'route',
      details: {
        method: 'GET',
        route: '/api/v1/audit/events',
        status: 403,
        reason: 'forbidden',
        suppressed: 0,
      },
    });
  });
});

describe("a person's access history", () => {
  it('has what they did, what named them or their tokens, and nothing about anyone else', async () => {
    const token = await ben.post('/api/v1/tokens', {
      name: 'laptop',
      scopes: ['insights:read'],
      expiresInDays: 7,
    });
    expect(token.status, await token.clone().text()).toBe(201);
    const { id: tokenId } = (await token.json()) as ApiTokenIssued;
    const revoked = await priya.post(`/api/v1/admin/tokens/${tokenId}/revoke`, {
      reason: 'Leaving the laptop',
    });
    expect(revoked.status, await revoked.clone().text()).toBe(200);

    const ben_ = idOf.ben as string;
    const about = [
      await seed('org.person.updated', { source: 'hr', changed: ['title'] }, { targetId: ben_ }),
      await seed(
        'auth.session.ended',
        { reason: 'admin', personId: ben_ },
        { actor: idOf.priya, targetId: randomUUID() },
      ),
      await seed(
        'org.group.updated',
        { displayName: 'br-team-amer', added: [ben_], removed: [] },
        { targetId: randomUUID() },
      ),
      await seed(
        'access.exception.expired',
        { subjectId: ben_, expiresAt: new Date().toISOString() },
        { targetId: randomUUID() },
      ),
    ];
    const capture = await seed(
      'insight.created',
      { type: 'feature_request', sentiment: 'neutral', priority: 'medium', source: 'capture', eventId: null },
      { actor: ben_, targetId: randomUUID() },
    );
    const others = [
      await seed('access.exception.expired', {
        subjectId: idOf.ari as string,
        expiresAt: new Date().toISOString(),
      }),
      await seed('org.group.updated', {
        displayName: 'br-team-emea',
        added: [idOf.ari as string],
        removed: [ben_.toUpperCase()],
      }),
      await seed(
        'auth.sign_in.failed',
        { reason: 'not_entitled', message: 'x', issuer: benIdp.issuer ?? '', subject: 'someone-else' },
        { outcome: 'failure' },
      ),
    ];

    const all = await everything('/api/v1/audit/events');
    const isAboutBen = (e: AuditEventView) => {
      const d = e.details as Record<string, unknown>;
      return (
        e.actor?.id === ben_ ||
        (e.target.type === 'person' && e.target.id === ben_) ||
        (e.target.type === 'api_token' && e.target.id === tokenId) ||
        d.subjectId === ben_ ||
        d.personId === ben_ ||
        (Array.isArray(d.added) && d.added.includes(ben_)) ||
        (Array.isArray(d.removed) && d.removed.includes(ben_)) ||
        (e.action === 'auth.sign_in.failed' && d.subject === benIdp.subject && d.issuer === benIdp.issuer)
      );
    };
    const history = await everything(`/api/v1/audit/people/${ben_}`, { kind: 'all' });
    expect(seqs(history)).toEqual(seqs(all.filter(isAboutBen)));
    expect(seqs(history)).toEqual(expect.arrayContaining([...about, capture]));
    for (const seq of others) expect(seqs(history)).not.toContain(seq);
    const actions = new Set(history.map((e) => e.action));
    for (const action of [
      'auth.sign_in.succeeded',
      'auth.sign_in.failed',
      'api_token.created',
      'api_token.revoked',
    ])
      expect(actions).toContain(action);
    const byPriya = history.find((e) => e.action === 'api_token.revoked');
    expect(byPriya).toMatchObject({ actor: { id: idOf.priya }, target: { id: tokenId, label: 'laptop' } });

    const access = await everything(`/api/v1/audit/people/${ben_}`);
    const families: readonly string[] = ACCESS_FAMILIES;
    expect(seqs(access)).toEqual(seqs(history.filter((e) => families.includes(e.family))));
    expect(seqs(access)).not.toContain(capture);

    const first = await get<AuditPersonHistory>(priya, `/api/v1/audit/people/${ben_}?limit=2`);
    expect(first.summary).toMatchObject({
      id: ben_,
      displayName: 'Ben Carter',
      status: 'provisional', // signed in through SSO; no org source has confirmed him
      role: 'advocate',
      activeSessions: 1,
      activeTokens: 0,
      activeExceptions: [],
    });
    expect(first.summary.lastSignInAt).not.toBeNull();
    expect(seqs(first.items)).toEqual(seqs(access).slice(0, 2));
  });

  it('finds them through the actor and target indexes (no full scan of the log)', async () => {
    const query = db()
      .select()
      .from(auditEvents)
      .where(aboutPerson(idOf.ben as string, benIdp))
      .orderBy(desc(auditEvents.seq))
      .limit(51);
    const plan = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = (await tx.execute(sql`explain ${query}`)) as unknown as {
        rows: Record<string, string>[];
      };
      return result.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toContain('audit_events_actor_idx');
    expect(plan).toContain('audit_events_target_idx');
    expect(plan).not.toMatch(/Seq Scan on audit_events/);
  });
});

describe('refused requests are recorded', () => {
  it("records a manager's forbidden POST once per window, and not the GETs of routes other roles use", async () => {
    const route = '/api/v1/bug-reports/:id/notes';
    const path = `/api/v1/bug-reports/${randomUUID()}/notes`;
    expect((await maya.post(path, { body: 'Looks like a duplicate' })).status).toBe(403);
    const [denied] = await recorded('access.denied', idOf.maya as string, route);
    expect(denied).toMatchObject({
      outcome: 'failure',
      details: { method: 'POST', route, status: 403, reason: 'forbidden', suppressed: 0 },
    });
    expect(JSON.stringify(denied?.details)).not.toContain('duplicate');

    // Throttled: the same refusal again within 10 s is counted, not written.
    expect((await maya.post(path, { body: 'Again' })).status).toBe(403);
    // Refused reads of a route managers use (the directory) are not evidence of anything.
    expect((await ari.get('/api/v1/org/people')).status).toBe(403);
    expect((await victor.get('/api/v1/org/people')).status).toBe(403);
    // A later refusal of another route is the sync point: the hook writes in order.
    expect((await maya.get('/api/v1/bug-reports')).status).toBe(403);
    expect(await recorded('access.denied', idOf.maya as string, '/api/v1/bug-reports')).toHaveLength(1);
    expect(await recorded('access.denied', idOf.maya as string, route)).toHaveLength(1);
    const directory = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.targetId, '/api/v1/org/people')));
    expect(directory).toEqual([]);
  });

  it("records an admin's refused input on an admin-only route by field name, never the values", async () => {
    const path = `/api/v1/bug-reports/${randomUUID()}/notes`;
    const response = await priya.post(path, { body: '', secret: 'VALUE-NOT-TO-KEEP' });
    expect(response.status).toBe(400);
    const [rejected] = await recorded(
      'request.rejected',
      idOf.priya as string,
      '/api/v1/bug-reports/:id/notes',
    );
    expect(rejected).toMatchObject({
      outcome: 'failure',
      details: { method: 'POST', status: 400, suppressed: 0 },
    });
    expect((rejected?.details as { fields?: string[] } | undefined)?.fields).toEqual(
      expect.arrayContaining(['body.secret', 'body.body']),
    );
    expect(JSON.stringify(rejected)).not.toContain('VALUE-NOT-TO-KEEP');
  });

  it('treats as admin-only exactly the routes whose declared access admits admins alone', () => {
    const table = routeTable(stack.app);
    const adminOnly = table.filter((r) => isAdminOnly(r.config.access)).map((r) => `${r.method} ${r.url}`);
    // The admin surfaces are all among them; a route every role may use is not.
    for (const r of table.filter((r) => /^\/api\/v1\/(admin|audit)\//.test(r.url)))
      expect(adminOnly).toContain(`${r.method} ${r.url}`);
    expect(adminOnly).toContain('GET /api/v1/analytics');
    expect(adminOnly).not.toContain('GET /api/v1/insights');
  });
});
