import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { FeedbackForm, FormQuestion } from '../../../contract/api/forms.ts';
import type { FormTemplate } from '../../../contract/program.ts';
import type { Db } from '../../db/client.ts';
import { feedbackForms, formResponses } from '../../db/schema.program.ts';
import { eventSessions, events, people } from '../../db/schema.ts';
import { ValidationError } from '../../errors.ts';

/**
 * Feedback forms with their owner, event and session names, and their responses. Reads that answer a signed-in
 * caller take the manage scope (`formManageScope`) as `scope`; the `unsafe…` reads serve the public page (by
 * slug) or read back a row right after an authorized write.
 */

export type FormRow = typeof feedbackForms.$inferSelect;
export type Joined = {
  form: FormRow;
  ownerName: string;
  eventName: string | null;
  sessionTitle: string | null;
};

const columns = {
  form: feedbackForms,
  ownerName: people.displayName,
  eventName: events.name,
  sessionTitle: eventSessions.title,
};

function joined(db: Db) {
  return db
    .select(columns)
    .from(feedbackForms)
    .innerJoin(people, eq(people.id, feedbackForms.ownerId))
    .leftJoin(events, eq(events.id, feedbackForms.eventId))
    .leftJoin(eventSessions, eq(eventSessions.id, feedbackForms.sessionId));
}

export type ClosedReason = NonNullable<FeedbackForm['closedReason']>;

/** Why the public page refuses responses right now (null: it accepts them). Same rule as `claimSlot`. */
export function closedReasonOf(form: FormRow, now: Date): ClosedReason | null {
  if (form.status === 'draft') return 'draft';
  if (form.status === 'closed') return 'closed';
  if (form.closesAt && form.closesAt.getTime() <= now.getTime()) return 'past_closing_date';
  if (form.responseCap !== null && form.responseCount >= form.responseCap) return 'cap_reached';
  return null;
}

export const publicUrlOf = (publicUrl: string, slug: string) => `${publicUrl}/f/${slug}`;

export function toFeedbackForm(row: Joined, now: Date, publicUrl: string): FeedbackForm {
  const { form } = row;
  const closedReason = closedReasonOf(form, now);
  return {
    id: form.id,
    slug: form.slug,
    title: form.title,
    description: form.description,
    consentText: form.consentText,
    template: form.template as FormTemplate,
    questions: form.questions as FormQuestion[],
    status: form.status,
    owner: { id: form.ownerId, name: row.ownerName },
    event: form.eventId && row.eventName ? { id: form.eventId, name: row.eventName } : null,
    session:
      form.sessionId && row.sessionTitle !== null ? { id: form.sessionId, title: row.sessionTitle } : null,
    closesAt: form.closesAt?.toISOString() ?? null,
    responseCap: form.responseCap,
    responseCount: form.responseCount,
    publicUrl: publicUrlOf(publicUrl, form.slug),
    accepting: closedReason === null,
    closedReason,
    // Whoever sees a form manages it (forms.policy.ts).
    canManage: true,
    version: form.version,
    createdAt: form.createdAt.toISOString(),
    updatedAt: form.updatedAt.toISOString(),
  };
}

/** A form inside the caller's manage scope; `lock` holds it until the transaction ends (edit, delete). */
export async function findManaged(db: Db, scope: SQL, id: string, lock = false): Promise<Joined | null> {
  const query = joined(db)
    .where(and(scope, eq(feedbackForms.id, id)))
    .limit(1);
  const [row] = lock ? await query.for('update', { of: feedbackForms }) : await query;
  return row ?? null;
}

/** Unscoped: read back a form right after a write the caller was authorized for. */
export async function unsafeFindById(db: Db, id: string): Promise<Joined | null> {
  const [row] = await joined(db).where(eq(feedbackForms.id, id)).limit(1);
  return row ?? null;
}

/** Unscoped: the public page's lookup (the slug is the capability). */
export async function unsafeFindBySlug(db: Db, slug: string): Promise<Joined | null> {
  const [row] = await joined(db).where(eq(feedbackForms.slug, slug)).limit(1);
  return row ?? null;
}

export async function slugTaken(db: Db, slug: string): Promise<boolean> {
  const [row] = await db
    .select({ id: feedbackForms.id })
    .from(feedbackForms)
    .where(eq(feedbackForms.slug, slug))
    .limit(1);
  return Boolean(row);
}

/** Whether PostgreSQL refused a write on the slug's unique index (23505), however deep the driver wrapped it. */
export function slugViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth += 1) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505') return constraint === 'feedback_forms_slug_uq';
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Whether the event exists and the session (if any) belongs to it: the same check as a capture's. */
export { findEventSession } from '../insights/insights.repo.ts';

export async function insertForm(tx: Db, row: typeof feedbackForms.$inferInsert): Promise<void> {
  await tx.insert(feedbackForms).values(row);
}

export async function updateForm(tx: Db, id: string, changes: Partial<FormRow>): Promise<void> {
  await tx.update(feedbackForms).set(changes).where(eq(feedbackForms.id, id));
}

export async function deleteForm(tx: Db, id: string): Promise<void> {
  await tx.delete(feedbackForms).where(eq(feedbackForms.id, id));
}

/** The question ids some stored response answered: those questions may be edited, not removed or retyped. */
export async function answeredQuestionIds(db: Db, formId: string): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ key: sql<string>`jsonb_object_keys(${formResponses.answers})` })
    .from(formResponses)
    .where(eq(formResponses.formId, formId));
  return new Set(rows.map((r) => r.key));
}

/**
 * Count one response, only if the form accepts it at `now`: open, before its closing date, under its cap —
 * checked and incremented in one statement, so concurrent senders can never overshoot the cap (a second
 * sender waits for the row lock and re-checks the condition on the updated row). Returns the new count, or
 * null when the form does not accept responses.
 */
export async function claimSlot(tx: Db, formId: string, now: Date): Promise<number | null> {
  const [row] = await tx
    .update(feedbackForms)
    .set({ responseCount: sql`${feedbackForms.responseCount} + 1` })
    .where(
      and(
        eq(feedbackForms.id, formId),
        eq(feedbackForms.status, 'open'),
        sql`(${feedbackForms.closesAt} is null or ${feedbackForms.closesAt} > ${now.toISOString()}::timestamptz)`,
        sql`(${feedbackForms.responseCap} is null or ${feedbackForms.responseCount} < ${feedbackForms.responseCap})`,
      ),
    )
    .returning({ count: feedbackForms.responseCount });
  return row ? row.count : null;
}

export async function insertResponse(tx: Db, row: typeof formResponses.$inferInsert): Promise<void> {
  await tx.insert(formResponses).values(row);
}

/** Keyset position in "newest first": [created or submitted at, id]. */
export interface Position {
  at: string;
  id: string;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.at, p.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      !Number.isNaN(Date.parse(v[0])) &&
      typeof v[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[1])
    )
      return { at: v[0], id: v[1] };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('The cursor is not one this server issued.', [
    { field: 'query.cursor', message: 'is not a valid cursor; use nextCursor from the previous page' },
  ]);
}

function page<T>(rows: T[], limit: number, position: (row: T) => Position) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? position(last) : null };
}

/** One page of the forms in scope, newest first; one extra row tells whether more exist. */
export async function listManaged(
  db: Db,
  scope: SQL,
  filter: { status?: FormRow['status'] | undefined; eventId?: string | undefined },
  limit: number,
  after: Position | null,
) {
  const rows = await joined(db)
    .where(
      and(
        scope,
        filter.status ? eq(feedbackForms.status, filter.status) : undefined,
        filter.eventId ? eq(feedbackForms.eventId, filter.eventId) : undefined,
        after
          ? sql`(${feedbackForms.createdAt}, ${feedbackForms.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(feedbackForms.createdAt), desc(feedbackForms.id))
    .limit(limit + 1);
  return page(rows, limit, (r) => ({ at: r.form.createdAt.toISOString(), id: r.form.id }));
}

/** One page of a form's responses, newest first. */
export async function listResponses(db: Db, formId: string, limit: number, after: Position | null) {
  const rows = await db
    .select({
      id: formResponses.id,
      submittedAt: formResponses.submittedAt,
      answers: formResponses.answers,
      insightId: formResponses.insightId,
    })
    .from(formResponses)
    .where(
      and(
        eq(formResponses.formId, formId),
        after
          ? sql`(${formResponses.submittedAt}, ${formResponses.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(formResponses.submittedAt), desc(formResponses.id))
    .limit(limit + 1);
  return page(rows, limit, (r) => ({ at: r.submittedAt.toISOString(), id: r.id }));
}
