import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm';
import type { Attachment } from '../../../contract/api/capture.ts';
import type { Db } from '../../db/client.ts';
import { insightAttachments, insights, people } from '../../db/schema.ts';

export type NewAttachmentRow = typeof insightAttachments.$inferInsert;

/** The insight an attachment goes to, if it is in the caller's read scope (`scope`), with its author. */
export async function findInsightInScope(db: Db, scope: SQL, insightId: string) {
  const [row] = await db
    .select({ id: insights.id, authorId: insights.authorId })
    .from(insights)
    .where(and(scope, eq(insights.id, insightId)))
    .limit(1);
  return row ?? null;
}

/** Serializes uploads to one insight, so two at once cannot both pass the per-insight limit. */
export async function lockInsight(tx: Db, insightId: string) {
  await tx.execute(sql`select id from ${insights} where ${insights.id} = ${insightId} for update`);
}

/** Unscoped identity probe, only to tell a retry from a collision: never returned to a caller. */
export async function unsafeFindAttachmentIdentity(db: Db, attachmentId: string) {
  const [row] = await db
    .select({ insightId: insightAttachments.insightId, sha256: insightAttachments.sha256 })
    .from(insightAttachments)
    .where(eq(insightAttachments.id, attachmentId))
    .limit(1);
  return row ?? null;
}

export async function countAttachments(db: Db, insightId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(insightAttachments)
    .where(eq(insightAttachments.insightId, insightId));
  return Number(row?.n ?? 0);
}

/** Insert unless the id exists. true when this call created the row. */
export async function insertAttachmentIfAbsent(tx: Db, row: NewAttachmentRow): Promise<boolean> {
  const created = await tx
    .insert(insightAttachments)
    .values(row)
    .onConflictDoNothing({ target: insightAttachments.id })
    .returning({ id: insightAttachments.id });
  return created.length > 0;
}

/** Every column but the bytes: lists and metadata never load them. */
const metadata = {
  id: insightAttachments.id,
  insightId: insightAttachments.insightId,
  kind: insightAttachments.kind,
  contentType: insightAttachments.contentType,
  byteSize: insightAttachments.byteSize,
  sha256: insightAttachments.sha256,
  uploadedById: insightAttachments.uploadedBy,
  uploadedByName: people.displayName,
  createdAt: insightAttachments.createdAt,
};

type MetadataRow = {
  id: string;
  insightId: string;
  kind: Attachment['kind'];
  contentType: string;
  byteSize: number;
  sha256: string;
  uploadedById: string;
  uploadedByName: string;
  createdAt: Date;
};

export const attachmentUrl = (insightId: string, attachmentId: string) =>
  `/api/v1/insights/${insightId}/attachments/${attachmentId}`;

function toAttachment(row: MetadataRow): Attachment {
  return {
    id: row.id,
    insightId: row.insightId,
    kind: row.kind,
    contentType: row.contentType,
    byteSize: row.byteSize,
    sha256: row.sha256,
    uploadedBy: { id: row.uploadedById, name: row.uploadedByName },
    createdAt: row.createdAt.toISOString(),
    url: attachmentUrl(row.insightId, row.id),
  };
}

/** The attachments of an insight the caller already found in scope, oldest first (capture order). */
export async function listAttachments(db: Db, insightId: string): Promise<Attachment[]> {
  const rows = await db
    .select(metadata)
    .from(insightAttachments)
    .innerJoin(people, eq(people.id, insightAttachments.uploadedBy))
    .where(eq(insightAttachments.insightId, insightId))
    .orderBy(asc(insightAttachments.createdAt), asc(insightAttachments.id));
  return rows.map(toAttachment);
}

/** One attachment's metadata, only when its insight is in the caller's read scope. */
export async function findAttachment(
  db: Db,
  scope: SQL,
  insightId: string,
  attachmentId: string,
): Promise<Attachment | null> {
  const [row] = await db
    .select(metadata)
    .from(insightAttachments)
    .innerJoin(insights, eq(insights.id, insightAttachments.insightId))
    .innerJoin(people, eq(people.id, insightAttachments.uploadedBy))
    .where(and(scope, eq(insightAttachments.insightId, insightId), eq(insightAttachments.id, attachmentId)))
    .limit(1);
  return row ? toAttachment(row) : null;
}

/** The stored bytes, only when the attachment's insight is in the caller's read scope (scope in the query). */
export async function findAttachmentBytes(db: Db, scope: SQL, insightId: string, attachmentId: string) {
  const [row] = await db
    .select({
      id: insightAttachments.id,
      kind: insightAttachments.kind,
      contentType: insightAttachments.contentType,
      data: insightAttachments.data,
    })
    .from(insightAttachments)
    .innerJoin(insights, eq(insights.id, insightAttachments.insightId))
    .where(and(scope, eq(insightAttachments.insightId, insightId), eq(insightAttachments.id, attachmentId)))
    .limit(1);
  return row ?? null;
}
