import { randomUUID } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditEvents } from '../../db/schema.ts';
import { type AuditContent, auditHash, GENESIS_HASH } from './audit.chain.ts';

/** Serializes appends so the chain has one order across every replica and connection. */
const AUDIT_CHAIN_LOCK_KEY = 4_217_730_002;

/**
 * Append one event to the chain. Must run inside the caller's transaction: the lock is transaction-scoped, so
 * the event commits or rolls back with the change it records.
 */
export async function appendAuditEvent(tx: Db, content: Omit<AuditContent, 'id'>): Promise<AuditContent> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  const [last] = await tx
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Round-trip details through JSON so the hash covers exactly what jsonb stores (no undefined members).
  const full: AuditContent = {
    ...content,
    id: randomUUID(),
    details: JSON.parse(JSON.stringify(content.details)),
  };
  await tx.insert(auditEvents).values({ ...full, prevHash, hash: auditHash(prevHash, full) });
  return full;
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
