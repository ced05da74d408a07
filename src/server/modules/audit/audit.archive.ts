import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { desc } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditArchives } from '../../db/schema.ts';
import { systemContext } from '../identity/actor.ts';
import { auditHash, GENESIS_HASH } from './audit.chain.ts';
import { type AuditSigningKey, signPayload } from './audit.keys.ts';
import { type ArchiveRow, archiveFileName, archivePayload } from './audit.manifest.ts';
import { ocsfLine } from './audit.ocsf.ts';
import { auditHead, readAuditPage } from './audit.repo.ts';
import { audit } from './audit.service.ts';

/**
 * Retention, first half: events older than the hot period are written to archive segments (OCSF JSON Lines, at
 * most ARCHIVE_SEGMENT_MAX events each) with a signed manifest row in audit_archives. Nothing is deleted here:
 * `bi audit prune` (audit.prune.ts) removes archived rows later, with the owner's credentials.
 */
export const ARCHIVE_SEGMENT_MAX = 50_000;
const PAGE = 1000;

export interface ArchiveDeps {
  db: Db;
  key: AuditSigningKey;
  archiveDir: string;
  hotDays: number;
  productVersion: string;
  now: Date;
  segmentMax?: number;
}

export class ArchiveChainError extends Error {}

/**
 * Write the next segment: the events after the last archived one, in chain order, while they are older than the
 * hot period. Every event's hash and link is checked as it is written (a broken chain is never archived and
 * signed). Written to a temporary name, flushed, then renamed; the manifest and `audit.archived` commit together.
 */
async function archiveOneSegment(
  deps: ArchiveDeps,
  cutoff: Date,
  throughSeq: number,
): Promise<ArchiveRow | null> {
  const { db } = deps;
  const max = deps.segmentMax ?? ARCHIVE_SEGMENT_MAX;
  const [previous] = await db.select().from(auditArchives).orderBy(desc(auditArchives.lastSeq)).limit(1);
  let afterSeq = previous?.lastSeq ?? 0;
  let expectedPrev = previous?.lastHash ?? GENESIS_HASH;
  let first: { seq: number; prevHash: string } | null = null;
  let lastSeq = 0;
  let count = 0;
  // Nothing due: touch no file (the archive directory may not even be writable where nothing is ever due).
  const [next] = await readAuditPage(db, afterSeq, 1);
  if (!next || next.occurredAt >= cutoff || next.seq > throughSeq) return null;
  const digest = createHash('sha256');
  await mkdir(deps.archiveDir, { recursive: true });
  const temp = path.join(deps.archiveDir, `.partial-${randomBytes(6).toString('hex')}.jsonl`);
  const file = await open(temp, 'wx', 0o640);
  try {
    while (count < max) {
      const limit = Math.min(PAGE, max - count);
      const rows = await readAuditPage(db, afterSeq, limit);
      let done = rows.length < limit;
      let chunk = '';
      for (const row of rows) {
        if (row.occurredAt >= cutoff || row.seq > throughSeq) {
          done = true;
          break;
        }
        const { seq, prevHash, hash, ...content } = row;
        if (prevHash !== expectedPrev || auditHash(prevHash, content) !== hash)
          throw new ArchiveChainError(
            `refusing to archive: the audit chain is broken at event ${seq} (run \`bi audit verify\`)`,
          );
        first ??= { seq, prevHash };
        chunk += ocsfLine(row, deps.productVersion);
        expectedPrev = hash;
        lastSeq = seq;
        count += 1;
      }
      await file.write(chunk);
      digest.update(chunk);
      if (done) break;
      afterSeq = lastSeq;
    }
    await file.sync();
  } catch (err) {
    await file.close();
    await rm(temp, { force: true });
    throw err;
  }
  await file.close();
  if (!first) {
    await rm(temp, { force: true });
    return null;
  }
  const location = path.resolve(deps.archiveDir, archiveFileName(first.seq, lastSeq));
  await rename(temp, location);
  const manifest = {
    createdAt: deps.now,
    firstSeq: first.seq,
    lastSeq,
    firstPrevHash: first.prevHash,
    lastHash: expectedPrev,
    eventCount: count,
    location,
    sha256: digest.digest('hex'),
    keyId: deps.key.keyId,
  };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(auditArchives)
      .values({ ...manifest, signature: signPayload(deps.key, archivePayload(manifest)) })
      .returning();
    if (!row) throw new Error('archive insert returned nothing');
    await audit(tx, systemContext('audit-archive'), {
      action: 'audit.archived',
      targetId: row.id,
      details: {
        firstSeq: row.firstSeq,
        lastSeq: row.lastSeq,
        eventCount: row.eventCount,
        sha256: row.sha256,
        file: path.basename(row.location),
      },
    });
    return row;
  });
}

/** The `audit-archive` job: every segment that is due, oldest first. */
export async function archiveAuditEvents(deps: ArchiveDeps): Promise<Record<string, unknown>> {
  const cutoff = new Date(deps.now.getTime() - deps.hotDays * 86_400_000);
  const segments: { firstSeq: number; lastSeq: number; events: number }[] = [];
  // Up to the head as the job starts: the job's own `audit.archived` events wait for the next run.
  const head = await auditHead(deps.db);
  if (!head) return { cutoff: cutoff.toISOString(), segments };
  for (;;) {
    const row = await archiveOneSegment(deps, cutoff, head.seq);
    if (!row) break;
    segments.push({ firstSeq: row.firstSeq, lastSeq: row.lastSeq, events: row.eventCount });
    if (row.eventCount < (deps.segmentMax ?? ARCHIVE_SEGMENT_MAX)) break;
  }
  return { cutoff: cutoff.toISOString(), segments };
}
