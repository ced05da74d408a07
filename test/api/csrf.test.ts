import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDataIfEmpty } from '../../src/server/modules/demo/demo.seed.ts';
import { type RouteEntry, routeTable } from '../../src/server/plugins/route-contract.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Issue 12 §3: CSRF on every state change and no state change on GET, over the whole route table (no
 * hand-kept list). A signed-in admin's cookie alone never changes anything: every POST/PUT/PATCH/DELETE of a
 * session route is refused without the X-CSRF-Token, with another session's token, and cross-site; and
 * nothing is written. Every GET route called as that admin leaves the business tables as they were.
 */
let stack: TestStack;
let priya: Session;
let maya: Session;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Bookkeeping that a request may write whatever it does, ignored when comparing: the session's last-seen
 * time (sessions), rate-limit windows (rate_limits), product analytics (usage_days: who used which surface
 * that day; usage_events: report views and exports), the sign-in flows a GET of /auth/login or /auth/step-up
 * starts (auth_flows). audit_events is checked apart: only the actions below.
 */
const BOOKKEEPING = new Set([
  'sessions',
  'rate_limits',
  'usage_days',
  'usage_events',
  'auth_flows',
  'audit_events',
]);
/** Audit events a refused write records (the denial itself). */
const REFUSAL_AUDIT = new Set(['access.denied']);
/**
 * Audit events a read records: exports are evidence (report.exported, audit.exported), and so are refused
 * credentials — the OIDC callback (a GET by protocol) without a flow, SCIM without its bearer credential.
 */
const READ_AUDIT = new Set(['report.exported', 'audit.exported', 'auth.sign_in.failed', 'scim.auth.failed']);

async function tables(): Promise<string[]> {
  const result = (await stack.db.database.db.execute(
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  )) as unknown as { rows: { name: string }[] };
  return result.rows.map((r) => r.name);
}

/** Every table's row count and a hash of its content (so an UPDATE shows too). */
async function snapshot(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await tables()) {
    if (!/^[a-z_0-9]+$/.test(name)) throw new Error(`odd table name ${name}`);
    const result = (await stack.db.database.db.execute(
      sql.raw(`select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h
               from "${name}" t`),
    )) as unknown as { rows: { n: number; h: string }[] };
    out.set(name, `${result.rows[0]?.n} rows ${result.rows[0]?.h}`);
  }
  return out;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((t) => before.get(t) !== after.get(t)).sort();
}

async function auditSince(seq: number): Promise<string[]> {
  const result = (await stack.db.database.db.execute(
    sql`select action from audit_events where seq > ${seq} order by seq`,
  )) as unknown as { rows: { action: string }[] };
  return result.rows.map((r) => r.action);
}

async function lastAuditSeq(): Promise<number> {
  const result = (await stack.db.database.db.execute(
    sql`select coalesce(max(seq), 0)::int as seq from audit_events`,
  )) as unknown as { rows: { seq: number }[] };
  return result.rows[0]?.seq ?? 0;
}

/** Real ids where the demo data has them (so reads hit rows), else a random uuid (a 404 must not write either). */
async function idsFor(): Promise<Record<string, string>> {
  const first = async (table: string, column = 'id') => {
    const result = (await stack.db.database.db.execute(
      sql.raw(`select ${column}::text as v from ${table} order by 1 limit 1`),
    )) as unknown as { rows: { v: string }[] };
    return result.rows[0]?.v ?? randomUUID();
  };
  return {
    '/api/v1/insights/': await first('insights'),
    '/api/v1/events/': await first('events'),
    '/api/v1/org/people/': await first('people'),
    '/api/v1/decisions/': await first('decisions'),
  };
}

function concrete(route: RouteEntry, ids: Record<string, string> = {}): string {
  const prefix = Object.keys(ids).find(
    (p) => route.url.startsWith(p) && route.url.slice(p.length).startsWith(':'),
  );
  return route.url
    .replace(/:[A-Za-z]+/, () => (prefix ? (ids[prefix] ?? randomUUID()) : randomUUID()))
    .replace(/:[A-Za-z]+/g, () => randomUUID())
    .replace(/\*$/, 'x');
}

beforeAll(async () => {
  stack = await startStack();
  const db = stack.db.database.db;
  await seedDemoDataIfEmpty(db, { issuer: stack.idp.issuer, access: stack.config.access, now: new Date() });
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  maya = await stack.signIn('Maya');
});
afterAll(async () => {
  await stack?.close();
});

describe('CSRF on every state change', () => {
  const cookieRoutes = () =>
    routeTable(stack.app).filter(
      (r) => UNSAFE.has(r.method) && (r.config.auth === 'session' || r.config.auth === 'session_or_token'),
    );

  it('refuses a cookie-only write without the token, with another session’s token, and cross-site', async () => {
    const routes = cookieRoutes();
    expect(routes.length).toBeGreaterThan(60);
    expect(priya.csrf).not.toBe(maya.csrf);
    const variants = [
      { name: 'no token', headers: {} },
      { name: 'another session’s token', headers: { 'x-csrf-token': maya.csrf } },
      { name: 'malformed token', headers: { 'x-csrf-token': `${priya.csrf}x` } },
      { name: 'cross-site', headers: { 'x-csrf-token': priya.csrf, 'sec-fetch-site': 'cross-site' } },
    ] as const;
    const before = await snapshot();
    const seq = await lastAuditSeq();
    const wrong: string[] = [];
    for (const route of routes) {
      for (const variant of variants) {
        const response = await priya.fetch(concrete(route), {
          method: route.method,
          headers: { 'content-type': 'application/json', ...variant.headers },
          body: '{}',
        });
        const detail = ((await response.json()) as { detail?: string }).detail ?? '';
        const why = variant.name === 'cross-site' ? /Cross-site requests/ : /X-CSRF-Token/;
        if (response.status !== 403 || !why.test(detail))
          wrong.push(`${route.method} ${route.url} (${variant.name}) → ${response.status} ${detail}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(changed(before, await snapshot()).filter((t) => !BOOKKEEPING.has(t))).toEqual([]);
    const recorded = await auditSince(seq);
    expect(recorded.filter((a) => !REFUSAL_AUDIT.has(a))).toEqual([]);
    // The session still works, and the right token still writes (the refusals were about the token alone).
    const ok = await priya.post('/api/v1/saved-views', {
      id: randomUUID(),
      name: 'csrf check',
      filters: {},
      shared: false,
    });
    expect([200, 201]).toContain(ok.status);
  });
});

describe('no state change on GET', () => {
  it('leaves every business table as it was after a GET of every route as an admin', async () => {
    const ids = await idsFor();
    const gets = routeTable(stack.app).filter((r) => r.method === 'GET');
    expect(gets.length).toBeGreaterThan(100);
    const before = await snapshot();
    expect([...before.keys()]).toEqual(expect.arrayContaining([...BOOKKEEPING]));
    const seq = await lastAuditSeq();
    const statuses = new Map<number, number>();
    for (const route of gets) {
      const response = await priya.get(concrete(route, ids));
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    // Mostly real reads, not refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(60);
    const after = await snapshot();
    expect(changed(before, after).filter((t) => !BOOKKEEPING.has(t))).toEqual([]);
    const recorded = await auditSince(seq);
    expect(recorded.filter((a) => !READ_AUDIT.has(a))).toEqual([]);
  });
});
