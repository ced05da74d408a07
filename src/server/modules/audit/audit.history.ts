import { and, count, eq, gt, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  ACCESS_FAMILIES,
  type AuditPersonHistory,
  type AuditPersonQuery,
  type AuditPersonSummary,
} from '../../../contract/api/audit.ts';
import { AUDIT_CATALOG, type AuditAction } from '../../../contract/audit-events.ts';
import { accessExceptions, apiTokens, auditEvents, people, sessions } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { getPerson } from '../directory/people.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { authorizeAuditRead } from './audit.policy.ts';
import { type AuditReadDeps, pageOf } from './audit.search.ts';

/**
 * A person's access history (admins): every event they made, every event whose target is them or one of their
 * API tokens, and every event whose details name them as the subject — exceptions and review decisions about
 * them, their sessions ended by someone else, SCIM groups they joined or left — plus sign-in failures that
 * carried their identity provider subject. Each arm of the condition is indexed: actor_id (actor index),
 * target type and id (target index, the token ids computed once), the named actions (action index; the details
 * are then checked row by row — a GIN index on details, which the @> conditions could use, would narrow that).
 */

/** Actions whose details name the person they are about, and the field(s) that do. */
const SUBJECT_FIELDS = {
  'access.exception.requested': ['subjectId'],
  'access.exception.decided': ['subjectId'],
  'access.exception.revoked': ['subjectId'],
  'access.exception.expired': ['subjectId'],
  'access.review.decided': ['subjectId'],
  'access.removal.resolved': ['subjectId'],
  'auth.session.ended': ['personId'],
  'org.group.created': ['added'],
  'org.group.updated': ['added', 'removed'],
  'org.group.deleted': ['removed'],
} as const satisfies Partial<Record<AuditAction, readonly string[]>>;

const SUBJECT_ACTIONS = Object.keys(SUBJECT_FIELDS) as (keyof typeof SUBJECT_FIELDS)[];
const SCALAR_FIELDS = new Set<string>();
const LIST_FIELDS = new Set<string>();
// Checked once at start-up: a field renamed in the catalog must not silently drop events from histories.
for (const action of SUBJECT_ACTIONS) {
  const shape = (AUDIT_CATALOG[action].details as unknown as { shape: Record<string, { _zod: unknown }> })
    .shape;
  for (const field of SUBJECT_FIELDS[action]) {
    const schema = shape[field] as {
      _zod: { def: { type: string; innerType?: { _zod: { def: { type: string } } } } };
    };
    if (!schema) throw new Error(`audit history: ${action} has no detail field ${field}`);
    const type =
      schema._zod.def.type === 'optional' ? schema._zod.def.innerType?._zod.def.type : schema._zod.def.type;
    (type === 'array' ? LIST_FIELDS : SCALAR_FIELDS).add(field);
  }
}

/** The condition "this event is about person `id`" (see the module comment). */
export function aboutPerson(id: string, idp: { issuer: string | null; subject: string | null }): SQL {
  // Containment (@>) rather than ->> equality, so a GIN index on details can serve these arms if added.
  const named = [
    ...[...SCALAR_FIELDS].map(
      (f) => sql`${auditEvents.details} @> jsonb_build_object(${f}::text, ${id}::text)`,
    ),
    ...[...LIST_FIELDS].map(
      (f) => sql`${auditEvents.details} @> jsonb_build_object(${f}::text, jsonb_build_array(${id}::text))`,
    ),
  ];
  const arms: (SQL | undefined)[] = [
    eq(auditEvents.actorId, id),
    and(eq(auditEvents.targetType, 'person'), eq(auditEvents.targetId, id)),
    and(
      eq(auditEvents.targetType, 'api_token'),
      sql`${auditEvents.targetId} = any(array(select ${apiTokens.id}::text from ${apiTokens} where ${apiTokens.ownerId} = ${id}))`,
    ),
    and(inArray(auditEvents.action, SUBJECT_ACTIONS), or(...named)),
  ];
  if (idp.subject !== null && idp.issuer !== null)
    arms.push(
      and(
        eq(auditEvents.action, 'auth.sign_in.failed'),
        sql`${auditEvents.details} @> jsonb_build_object('subject', ${idp.subject}::text)`,
        sql`coalesce(${auditEvents.details} ->> 'issuer', ${idp.issuer}) = ${idp.issuer}`,
      ),
    );
  return or(...arms) as SQL;
}

const accessOnly = sql`split_part(${auditEvents.action}, '.', 1) in (${sql.join(
  ACCESS_FAMILIES.map((f) => sql`${f}`),
  sql`, `,
)})`;

async function summaryOf(deps: AuditReadDeps, actor: Actor, id: string): Promise<AuditPersonSummary> {
  const now = deps.now();
  // The directory's own evaluation: the role shown here is the one the People page shows.
  const person = await getPerson(deps, actor, id);
  const [live] = await deps.db
    .select({ n: count() })
    .from(sessions)
    .where(
      and(eq(sessions.personId, id), gt(sessions.idleExpiresAt, now), gt(sessions.absoluteExpiresAt, now)),
    );
  const [tokens] = await deps.db
    .select({ n: count() })
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.ownerId, id),
        eq(apiTokens.status, 'active'),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    );
  const exceptions = await deps.db
    .select({ id: accessExceptions.id, role: accessExceptions.role, expiresAt: accessExceptions.expiresAt })
    .from(accessExceptions)
    .where(
      and(
        eq(accessExceptions.subjectId, id),
        eq(accessExceptions.status, 'active'),
        gt(accessExceptions.expiresAt, now),
      ),
    )
    .orderBy(accessExceptions.expiresAt);
  return {
    id: person.id,
    displayName: person.name,
    status: person.status,
    role: person.role,
    scopeLabel: person.scopeLabel,
    lastSignInAt: person.lastSignInAt,
    activeSessions: Number(live?.n ?? 0),
    activeTokens: Number(tokens?.n ?? 0),
    activeExceptions: exceptions.map((e) => ({
      id: e.id,
      role: e.role,
      expiresAt: e.expiresAt.toISOString(),
    })),
  };
}

export async function personHistory(
  deps: AuditReadDeps,
  ctx: RequestContext,
  id: string,
  query: z.output<typeof AuditPersonQuery>,
): Promise<AuditPersonHistory> {
  const actor = requireActor(ctx);
  authorizeAuditRead(actor, 'person_history');
  const [idp] = await deps.db
    .select({ issuer: people.issuer, subject: people.subject })
    .from(people)
    .where(eq(people.id, id))
    .limit(1);
  if (!idp) throw new NotFoundError('person');
  const summary = await summaryOf(deps, actor, id);
  const where = [aboutPerson(id, idp), ...(query.kind === 'access' ? [accessOnly] : [])];
  const page = await pageOf(deps, where, {
    cursor: query.cursor,
    limit: query.limit,
    filter: { person: id, kind: query.kind },
  });
  return { summary, ...page };
}
