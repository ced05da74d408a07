import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { and, asc, between, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditArchives, auditEvents } from '../../db/schema.ts';
import type { RequestContext } from '../identity/actor.ts';
import { type AuditVerifyKeys, checkSignature } from './audit.keys.ts';
import { type ArchiveRow, archivePayload } from './audit.manifest.ts';
import { AUDIT_CHAIN_LOCK_KEY } from './audit.repo.ts';
import { audit } from './audit.service.ts';

/**
 * Retention, second half (`bi audit prune`): delete events that are safely archived. Every archived, unpruned
 * segment is checked first — manifest signature, the file exists with the recorded SHA-256, the rows in the
 * table are still the archived ones — and nothing is deleted unless all pass. The delete switches the
 * append-only trigger off for its own transaction only (ALTER TABLE is transactional), which needs the table
 * owner's credentials: the runtime role cannot do it.
 */
export interface PrunePlanItem {
  archive: ArchiveRow;
  /** Why this segment may not be pruned; null = it may. */
  problem: string | null;
}

export class PruneRefusedError extends Error {}

async function fileSha256(file: string): Promise<string | null> {
  const digest = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return digest.digest('hex');
}

async function checkSegment(db: Db, archive: ArchiveRow, keys: AuditVerifyKeys): Promise<string | null> {
  const name = path.basename(archive.location);
  if (checkSignature(keys, archive.keyId, archivePayload(archive), archive.signature) !== 'valid')
    return `the manifest of ${name} is not signed by a trusted key`;
  const sha = await fileSha256(archive.location);
  if (sha === null) return `the archive file ${archive.location} is missing`;
  if (sha !== archive.sha256)
    return `the archive file ${archive.location} has SHA-256 ${sha}, not the recorded ${archive.sha256} (changed or damaged)`;
  const range = between(auditEvents.seq, archive.firstSeq, archive.lastSeq);
  const [rows] = await db.select({ n: count() }).from(auditEvents).where(range);
  const [first] = await db
    .select({ prevHash: auditEvents.prevHash })
    .from(auditEvents)
    .where(eq(auditEvents.seq, archive.firstSeq));
  const [last] = await db
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.seq, archive.lastSeq));
  if (
    rows?.n !== archive.eventCount ||
    first?.prevHash !== archive.firstPrevHash ||
    last?.hash !== archive.lastHash
  )
    return `the events ${archive.firstSeq}-${archive.lastSeq} in the database are no longer the archived ones (run \`bi audit verify\`)`;
  return null;
}

/** Every archived segment still in the table, oldest first, with what would stop it from being pruned. */
export async function planPrune(db: Db, keys: AuditVerifyKeys): Promise<PrunePlanItem[]> {
  const pending = await db
    .select()
    .from(auditArchives)
    .where(isNull(auditArchives.prunedAt))
    .orderBy(asc(auditArchives.firstSeq));
  const plan: PrunePlanItem[] = [];
  for (const archive of pending) plan.push({ archive, problem: await checkSegment(db, archive, keys) });
  return plan;
}

/** Delete every archived segment's events in one transaction (all or none), audited `audit.pruned` each. */
export async function pruneArchived(
  db: Db,
  keys: AuditVerifyKeys,
  ctx: RequestContext,
  now: Date,
): Promise<ArchiveRow[]> {
  const plan = await planPrune(db, keys);
  const refused = plan.filter((p) => p.problem !== null);
  if (refused.length > 0)
    throw new PruneRefusedError(`Nothing was pruned: ${refused.map((p) => p.problem).join('; ')}.`);
  if (plan.length === 0) return [];
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
    await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
    for (const { archive } of plan) {
      await tx.delete(auditEvents).where(between(auditEvents.seq, archive.firstSeq, archive.lastSeq));
      await tx
        .update(auditArchives)
        .set({ prunedAt: now })
        .where(and(eq(auditArchives.id, archive.id), isNull(auditArchives.prunedAt)));
    }
    await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
    for (const { archive } of plan)
      await audit(tx, ctx, {
        action: 'audit.pruned',
        targetId: archive.id,
        details: {
          firstSeq: archive.firstSeq,
          lastSeq: archive.lastSeq,
          eventCount: archive.eventCount,
          sha256: archive.sha256,
          file: path.basename(archive.location),
        },
      });
    return plan.map((p) => ({ ...p.archive, prunedAt: now }));
  });
}
