import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../src/server/db/client.ts';
import { isAdminOnly } from '../../src/server/plugins/access.ts';
import type { RouteEntry } from '../../src/server/plugins/route-contract.ts';

/**
 * What the bad-input tests check in the database: that refused requests wrote nothing (every table but the
 * bookkeeping ones, byte for byte) and that the audit log gained only refusals.
 */

/** One route whose property failed, with what reproduces it. */
export interface Failure {
  route: string;
  kind: string;
  seed: number;
  example: string;
  error: string;
}

/**
 * Tables a refused request may legitimately change, each with why; every other table must be byte-for-byte
 * unchanged after the bad requests.
 */
export const BOOKKEEPING: Record<string, string> = {
  audit_events: 'refusals are audited (request.rejected, access.denied); checked event by event instead',
  audit_chain_heads: 'the hash-chain head moves with every audit event',
  sessions: 'every request touches last_seen_at and extends the idle expiry of the admin session',
  rate_limits: 'every request is counted (the shared store on PostgreSQL)',
  scim_credentials: 'a SCIM request records when its credential was last used',
  org_sources: 'a SCIM request records when the SCIM source was last heard from',
  usage_days: 'product analytics: the first request of a person each day records the day',
  usage_events:
    'product analytics: a valid read among the odd ones (an export whose odd query was ignored) counts',
};

/**
 * Audit events of refusals besides request.rejected and access.denied: modules that record their own refusals
 * (audit.denials.ts leaves those to them). Accepted only with outcome failure.
 */
export const OWN_REFUSAL_EVENTS: Record<string, string> = {
  'auth.global_logout': 'the IdP logout endpoints (public) record every refused logout call',
  'scim.auth.failed': 'SCIM records a refused credential',
  'api_token.refused': 'an API token without the scope is recorded by the tokens module',
};

/**
 * Audit events of reads: a query string that looks odd but the schema accepts (SCIM and the reports ignore an
 * unknown or empty filter) is a valid read, and some reads are audited. Accepted with outcome success.
 */
export const AUDITED_READS: Record<string, string> = {
  'report.exported': 'every CSV or PDF export is audited, including one whose odd query was valid',
};

export type TableSnapshot = Map<string, string>;

/** Row count and a content hash of every table of the app's schema (bookkeeping tables left out). */
export async function snapshotTables(db: Db): Promise<TableSnapshot> {
  const tables = await queryRows<{ schema: string; name: string }>(
    db,
    sql`select table_schema as schema, table_name as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
        order by 1, 2`,
  );
  const out: TableSnapshot = new Map();
  for (const { schema, name } of tables) {
    if (name in BOOKKEEPING) continue;
    const id = sql.raw(`"${schema}"."${name}"`);
    const [row] = await queryRows<{ n: number; h: string }>(
      db,
      sql`select count(*)::int as n, md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text)), '')) as h
          from ${id} t`,
    );
    out.set(`${schema}.${name}`, `${row?.n} rows ${row?.h}`);
  }
  return out;
}

/** Tables whose rows differ between two snapshots. */
export function changedTables(before: TableSnapshot, after: TableSnapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .filter((n) => before.get(n) !== after.get(n))
    .map((n) => `${n}: ${before.get(n)} → ${after.get(n)}`);
}

/** Audit events written after `seq`: action, target and method. */
export function auditEventsSince(db: Db, seq: number) {
  return queryRows<{ action: string; outcome: string; target: string | null; method: string | null }>(
    db,
    sql`select action, outcome, target_id as target, details->>'method' as method
        from audit_events where seq > ${seq} order by seq`,
  );
}

/** An admin-only route that changes state: where an admin's invalid request is audited as request.rejected. */
export const adminOnlyStateChange = (route: RouteEntry) =>
  ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) &&
  (route.config.auth === 'session' || route.config.auth === 'session_or_token') &&
  isAdminOnly(route.config.access);
