import { asc, desc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditCheckpoints } from '../../db/schema.ts';
import { type AuditSigningKey, signPayload } from './audit.keys.ts';
import { AUDIT_CHAIN_LOCK_KEY, auditHead } from './audit.repo.ts';

/**
 * Signed checkpoints: "the chain's head was event `seq` with hash `hash`", signed with a key the database does
 * not hold, each naming the previous checkpoint's signature. A verifier with the public key then detects a
 * truncated chain, a chain rewritten with recomputed hashes, and a removed checkpoint.
 */
export type CheckpointRow = typeof auditCheckpoints.$inferSelect;

/** Exactly what a checkpoint's signature covers (canonical JSON, RFC 8785). */
export function checkpointPayload(
  c: Pick<CheckpointRow, 'seq' | 'hash' | 'createdAt' | 'keyId' | 'prevSignature'>,
): Record<string, unknown> {
  return {
    seq: c.seq,
    hash: c.hash,
    createdAt: c.createdAt.toISOString(),
    keyId: c.keyId,
    prevSignature: c.prevSignature,
  };
}

/** The newest checkpoint (checkpoints only move forward: the highest seq, then the latest). */
export async function latestCheckpoint(db: Db): Promise<CheckpointRow | null> {
  const [row] = await db
    .select()
    .from(auditCheckpoints)
    .orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.createdAt), desc(auditCheckpoints.id))
    .limit(1);
  return row ?? null;
}

/** Every checkpoint in chain order (they are small: one per interval, ~35,000 a year at 15 minutes). */
export function allCheckpoints(db: Db): Promise<CheckpointRow[]> {
  return db
    .select()
    .from(auditCheckpoints)
    .orderBy(asc(auditCheckpoints.seq), asc(auditCheckpoints.createdAt), asc(auditCheckpoints.id));
}

export type CheckpointResult =
  | { created: true; checkpoint: CheckpointRow }
  | { created: false; reason: string; checkpoint: CheckpointRow | null };

/**
 * Sign the chain's current head. Takes the chain's append lock, so the head cannot move while it is read and
 * two replicas cannot sign at once (the checkpoints stay one chain). Skipped when the log is empty or the head
 * is the one the last checkpoint signed.
 */
export async function createCheckpoint(db: Db, key: AuditSigningKey, now: Date): Promise<CheckpointResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
    const head = await auditHead(tx);
    const last = await latestCheckpoint(tx);
    if (!head) return { created: false, reason: 'the audit log has no events', checkpoint: last };
    if (last && last.seq === head.seq && last.hash === head.hash)
      return { created: false, reason: 'the head has not moved since the last checkpoint', checkpoint: last };
    const unsigned = {
      seq: head.seq,
      hash: head.hash,
      createdAt: now,
      keyId: key.keyId,
      prevSignature: last?.signature ?? null,
    };
    const [checkpoint] = await tx
      .insert(auditCheckpoints)
      .values({ ...unsigned, signature: signPayload(key, checkpointPayload(unsigned)) })
      .returning();
    if (!checkpoint) throw new Error('checkpoint insert returned nothing');
    return { created: true, checkpoint };
  });
}

/**
 * The `audit-checkpoint` job (every minute): signs when `minutes` have passed since the last checkpoint. The key
 * is asked for only when one is due (outside production it is generated on first use).
 */
export async function checkpointIfDue(
  db: Db,
  now: Date,
  minutes: number,
  key: (() => AuditSigningKey) | null,
): Promise<Record<string, unknown>> {
  const last = await latestCheckpoint(db);
  if (last && now.getTime() - last.createdAt.getTime() < minutes * 60_000)
    return {
      skipped: 'not due',
      lastCheckpointSeq: last.seq,
      dueAt: new Date(last.createdAt.getTime() + minutes * 60_000).toISOString(),
    };
  if (!key) return { skipped: 'no signing key (no configuration)' };
  const result = await createCheckpoint(db, key(), now);
  return result.created
    ? { created: true, seq: result.checkpoint.seq, keyId: result.checkpoint.keyId }
    : { skipped: result.reason };
}
