import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, gt, gte, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditEvents } from '../../db/schema.ts';
import { type AuditContent, auditHash, GENESIS_HASH } from './audit.chain.ts';

/** Serializes appends so the chain has one order across every replica and connection. */
export const AUDIT_CHAIN_LOCK_KEY = 4_217_730_002;

/**
 * Append one event to the chain. Must run inside the caller's transaction: the lock is transaction-scoped, so
 * the event commits or rolls back with the change it records.
 */
export async function appendAuditEvent(tx: Db, content: Omit<AuditContent, 'id'>): Promise<AuditContent> {
  const [full] = await appendAuditEvents(tx, [content]);
  if (!full) throw new Error('audit append wrote nothing');
  return full;
}

/** Rows per INSERT: 19 columns each, well below PostgreSQL's 65,535 bind parameters. */
const APPEND_CHUNK = 500;

/**
 * Append several events to the chain in the order given, under one lock and one read of the head: each event's
 * prevHash is the hash of the one before it, exactly as if they had been appended one at a time, and they are
 * written by multi-row INSERTs whose rows take their seq in that order. Same rules as appendAuditEvent: inside
 * the caller's transaction, so the events commit or roll back with the changes they record.
 */
export async function appendAuditEvents(
  tx: Db,
  contents: readonly Omit<AuditContent, 'id'>[],
): Promise<AuditContent[]> {
  if (contents.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const [last] = await tx
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const written: AuditContent[] = [];
  const rows: (typeof auditEvents.$inferInsert)[] = [];
  for (const content of contents) {
    // Round-trip details through JSON so the hash covers exactly what jsonb stores (no undefined members).
    const full: AuditContent = {
      ...content,
      id: randomUUID(),
      details: JSON.parse(JSON.stringify(content.details)),
    };
    const hash = auditHash(prevHash, full);
    rows.push({ ...full, prevHash, hash });
    written.push(full);
    prevHash = hash;
  }
  for (let start = 0; start < rows.length; start += APPEND_CHUNK)
    await tx.insert(auditEvents).values(rows.slice(start, start + APPEND_CHUNK));
  return written;
}

export type AuditRow = typeof auditEvents.$inferSelect;

/** Read the chain in order, a page at a time (the verifier streams; the log can be large). */
export async function readAuditPage(db: Db, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(gt(auditEvents.seq, afterSeq))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}

/** A time range of the log: occurred_at from `from` (inclusive) to `to` (exclusive); null = open. */
export interface AuditRange {
  from: Date | null;
  to: Date | null;
}

function rangeConditions(range: AuditRange, throughSeq: number) {
  return [
    lte(auditEvents.seq, throughSeq),
    ...(range.from ? [gte(auditEvents.occurredAt, range.from)] : []),
    ...(range.to ? [lt(auditEvents.occurredAt, range.to)] : []),
  ];
}

/** A page of the events in `range` up to `throughSeq`, in chain order (the export's keyset read). */
export async function readAuditRangePage(
  db: Db,
  range: AuditRange,
  afterSeq: number,
  throughSeq: number,
  limit: number,
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(gt(auditEvents.seq, afterSeq), ...rangeConditions(range, throughSeq)))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}

/** How many events `range` holds up to `throughSeq`. */
export async function countAuditRange(db: Db, range: AuditRange, throughSeq: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(...rangeConditions(range, throughSeq)));
  return row?.n ?? 0;
}

/** The newest event (the chain's head), or null when the table is empty. */
export async function auditHead(db: Db): Promise<{ seq: number; hash: string; occurredAt: Date } | null> {
  const [row] = await db
    .select({ seq: auditEvents.seq, hash: auditEvents.hash, occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return row ?? null;
}
