import { createHash } from 'node:crypto';
import { and, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AuditEventPage, AuditEventQuery, AuditEventView } from '../../../contract/api/audit.ts';
import { AUDIT_CATALOG } from '../../../contract/audit-events.ts';
import type { Db } from '../../db/client.ts';
import { apiTokens, auditEvents, events, people, scimGroups } from '../../db/schema.ts';
import { ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import type { RequestContext } from '../identity/actor.ts';
import { describeCatalog, descriptionOf, familyOf } from './audit.describe.ts';
import { authorizeAuditRead } from './audit.policy.ts';

/**
 * Audit search (admins): filters on the indexed columns (actor, target, action, time) plus outcome and the
 * break-glass flag, newest first, keyset pages on `seq` — events appended while someone pages have higher
 * numbers and never shift a page. Names for actors and targets are looked up for the page only.
 */
export interface AuditReadDeps {
  db: Db;
  now: () => Date;
}

export type AuditRow = typeof auditEvents.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const invalid = (field: string, message: string) =>
  new ValidationError(`Check ${field}.`, [{ field, message }]);

/** The filters a cursor was issued for, as a short digest: a cursor sent with other filters is a 400. */
function fingerprint(filter: Record<string, unknown>): string {
  const entries = Object.entries(filter)
    .filter(([key, value]) => value !== undefined && key !== 'cursor' && key !== 'limit')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 12);
}

/** Opaque (base64url JSON), not secret: [seq of the last event shown, filter digest]. */
export function encodeCursor(seq: number, digest: string): string {
  return Buffer.from(JSON.stringify([seq, digest])).toString('base64url');
}

export function decodeCursor(cursor: string, digest: string): number {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2 || !Number.isSafeInteger(value[0]) || value[0] < 1)
    throw invalid('query.cursor', 'is not a valid cursor; use nextCursor from the previous page');
  if (value[1] !== digest)
    throw invalid('query.cursor', 'was issued for other filters; start again from the first page');
  return value[0] as number;
}

/** An exact action of the catalog, or a prefix ending in a dot that at least one action starts with. */
export function actionCondition(action: string, field = 'query.action'): SQL {
  const actions = Object.keys(AUDIT_CATALOG);
  if (action.endsWith('.')) {
    if (!actions.some((a) => a.startsWith(action)))
      throw invalid(field, `no action of the catalog starts with ${action}`);
    return sql`left(${auditEvents.action}, ${action.length}) = ${action}`;
  }
  if (!actions.includes(action))
    throw invalid(field, 'is not an action of the catalog (GET /api/v1/audit/catalog lists them)');
  return eq(auditEvents.action, action);
}

function searchConditions(query: z.output<typeof AuditEventQuery>): SQL[] {
  const where: SQL[] = [];
  if (query.actor) where.push(eq(auditEvents.actorId, query.actor));
  if (query.targetType) {
    if (!describeCatalog().targetTypes.includes(query.targetType))
      throw invalid('query.targetType', 'is not a target type of the catalog');
    where.push(eq(auditEvents.targetType, query.targetType));
  }
  if (query.targetId) where.push(eq(auditEvents.targetId, query.targetId));
  if (query.action) where.push(actionCondition(query.action));
  if (query.outcome) where.push(eq(auditEvents.outcome, query.outcome));
  if (query.from) where.push(gte(auditEvents.occurredAt, new Date(query.from)));
  if (query.to) where.push(lt(auditEvents.occurredAt, new Date(query.to)));
  if (query.breakGlass !== undefined) where.push(eq(auditEvents.actorBreakGlass, query.breakGlass));
  return where;
}

/** One page of events matching `where`, newest first; the cursor continues only the same filters. */
export async function pageOf(
  deps: AuditReadDeps,
  where: SQL[],
  page: { cursor: string | undefined; limit: number; filter: Record<string, unknown> },
): Promise<AuditEventPage> {
  const digest = fingerprint(page.filter);
  const before = page.cursor ? decodeCursor(page.cursor, digest) : null;
  const rows = await deps.db
    .select()
    .from(auditEvents)
    .where(and(...where, before === null ? undefined : lt(auditEvents.seq, before)))
    .orderBy(desc(auditEvents.seq))
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    items: await viewsOf(deps.db, shown),
    nextCursor: rows.length > page.limit && last ? encodeCursor(last.seq, digest) : null,
  };
}

export async function searchAudit(
  deps: AuditReadDeps,
  ctx: RequestContext,
  query: z.output<typeof AuditEventQuery>,
): Promise<AuditEventPage> {
  authorizeAuditRead(requireActor(ctx), 'search');
  return pageOf(deps, searchConditions(query), { cursor: query.cursor, limit: query.limit, filter: query });
}

/** Labels of the targets that have a cheap name (person, event, group, API token), keyed "type:id". */
async function labelsOf(db: Db, rows: readonly AuditRow[]): Promise<Map<string, string>> {
  const ids = (type: string) => [
    ...new Set(
      rows
        .filter((r) => r.targetType === type && r.targetId !== null && UUID.test(r.targetId))
        .map((r) => r.targetId as string),
    ),
  ];
  const labels = new Map<string, string>();
  const lookups: [string, string[], (wanted: string[]) => Promise<{ id: string; label: string }[]>][] = [
    [
      'event',
      ids('event'),
      (w) => db.select({ id: events.id, label: events.name }).from(events).where(inArray(events.id, w)),
    ],
    [
      'group',
      ids('group'),
      (w) =>
        db
          .select({ id: scimGroups.id, label: scimGroups.displayName })
          .from(scimGroups)
          .where(inArray(scimGroups.id, w)),
    ],
    [
      'api_token',
      ids('api_token'),
      (w) =>
        db
          .select({ id: apiTokens.id, label: apiTokens.name })
          .from(apiTokens)
          .where(inArray(apiTokens.id, w)),
    ],
  ];
  for (const [type, wanted, query] of lookups) {
    if (wanted.length === 0) continue;
    for (const row of await query(wanted)) labels.set(`${type}:${row.id}`, row.label);
  }
  return labels;
}

/** The rows as the API shows them: names of actors and person targets in one query, other labels per type. */
export async function viewsOf(db: Db, rows: readonly AuditRow[]): Promise<AuditEventView[]> {
  const personIds = new Set<string>();
  for (const r of rows) {
    if (r.actorId) personIds.add(r.actorId);
    if (r.targetType === 'person' && r.targetId && UUID.test(r.targetId)) personIds.add(r.targetId);
  }
  const names = new Map<string, string>();
  if (personIds.size > 0) {
    const found = await db
      .select({ id: people.id, name: people.displayName })
      .from(people)
      .where(inArray(people.id, [...personIds]));
    for (const p of found) names.set(p.id, p.name);
  }
  const labels = await labelsOf(db, rows);
  return rows.map((r) => ({
    seq: r.seq,
    id: r.id,
    occurredAt: r.occurredAt.toISOString(),
    action: r.action,
    family: familyOf(r.action),
    description: descriptionOf(r.action),
    outcome: r.outcome,
    actor: r.actorId
      ? {
          id: r.actorId,
          displayName: names.get(r.actorId) ?? null,
          role: r.actorRole,
          sessionId: r.actorSessionId,
        }
      : null,
    tokenId: r.actorTokenId,
    breakGlass: r.actorBreakGlass,
    target: {
      type: r.targetType,
      id: r.targetId,
      label:
        r.targetId === null
          ? null
          : r.targetType === 'person'
            ? (names.get(r.targetId) ?? null)
            : (labels.get(`${r.targetType}:${r.targetId}`) ?? null),
    },
    ip: r.ip,
    userAgent: r.userAgent,
    requestId: r.requestId,
    traceId: r.traceId,
    details: r.details,
  }));
}
