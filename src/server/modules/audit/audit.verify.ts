import { asc, desc } from 'drizzle-orm';
import type { CHAIN_PROBLEM_KINDS } from '../../../contract/api/audit-integrity.ts';
import type { Db } from '../../db/client.ts';
import { auditArchives, auditVerifications } from '../../db/schema.ts';
import { auditHash, GENESIS_HASH } from './audit.chain.ts';
import { allCheckpoints, type CheckpointRow, checkpointPayload } from './audit.checkpoints.ts';
import { type AuditVerifyKeys, checkSignature } from './audit.keys.ts';
import { archivePayload } from './audit.manifest.ts';
import { auditHead, readAuditPage } from './audit.repo.ts';

/**
 * The verifier. It walks the chain (every hash recomputed, every link checked), checks the signed checkpoints
 * (signature with a trusted key, their own chain, the event each one signed still has its hash, none points
 * past the head), and the archive manifests of pruned events. It reports the FIRST bad sequence number.
 */
export type ProblemKind = (typeof CHAIN_PROBLEM_KINDS)[number];

export interface ChainProblem {
  /** The first bad sequence number. */
  seq: number;
  kind: ProblemKind;
  message: string;
  /** The checkpoint that shows the problem (its seq), when one does. */
  checkpointSeq?: number;
}

export interface ChainVerification {
  ok: boolean;
  /** Events whose hash and link verified (pruned events are not counted). */
  checked: number;
  /** Checkpoints whose signature and link to the previous checkpoint verified. */
  checkpointsChecked: number;
  /** The last event that verified (null when none did). */
  lastSeq: number | null;
  lastHash: string;
  /** The newest event in the table when the run started (null: no events). */
  head: { seq: number; hash: string } | null;
  lastCheckpoint: { seq: number; hash: string; createdAt: Date; keyId: string } | null;
  /** Where the table starts when older events were pruned: the last pruned archive's end. */
  anchor: { seq: number; hash: string } | null;
  problem?: ChainProblem;
}

export interface VerifyOptions {
  /** Public keys by key id (the signing key's and earlier ones). Without keys every checkpoint is unknown. */
  keys?: AuditVerifyKeys;
  pageSize?: number;
}

/** The first problem among the checkpoints and archive manifests themselves (signatures and links). */
function checkSignedRecords(
  checkpoints: CheckpointRow[],
  archives: (typeof auditArchives.$inferSelect)[],
  keys: AuditVerifyKeys,
): { trusted: CheckpointRow[]; problems: ChainProblem[] } {
  const problems: ChainProblem[] = [];
  const trusted: CheckpointRow[] = [];
  let prevSignature: string | null = null;
  let chainReported = false;
  for (const cp of checkpoints) {
    const verdict = checkSignature(keys, cp.keyId, checkpointPayload(cp), cp.signature);
    if (verdict !== 'valid') {
      problems.push({
        seq: cp.seq,
        kind: 'checkpoint_signature_invalid',
        checkpointSeq: cp.seq,
        message:
          verdict === 'unknown_key'
            ? `the checkpoint at event ${cp.seq} is signed with key "${cp.keyId}", which is not a trusted key (forged, or a key missing from AUDIT_VERIFY_KEYS)`
            : `the checkpoint at event ${cp.seq} has a signature that does not verify with key "${cp.keyId}" (forged or altered)`,
      });
    } else {
      trusted.push(cp);
      if (cp.prevSignature !== prevSignature && !chainReported) {
        chainReported = true;
        problems.push({
          seq: cp.seq,
          kind: 'checkpoint_chain_broken',
          checkpointSeq: cp.seq,
          message: `the checkpoint at event ${cp.seq} does not follow the checkpoint before it (a checkpoint was removed)`,
        });
      }
    }
    prevSignature = cp.signature;
  }
  let prevHash = GENESIS_HASH;
  let prevLast = 0;
  for (const archive of archives) {
    const verdict = checkSignature(keys, archive.keyId, archivePayload(archive), archive.signature);
    const linked = archive.firstPrevHash === prevHash && archive.firstSeq > prevLast;
    if (verdict !== 'valid' || !linked) {
      problems.push({
        seq: archive.firstSeq,
        kind: 'archive_invalid',
        message:
          verdict !== 'valid'
            ? `the archive manifest of events ${archive.firstSeq}-${archive.lastSeq} is not signed by a trusted key`
            : `the archive of events ${archive.firstSeq}-${archive.lastSeq} does not follow the archive before it`,
      });
      break;
    }
    prevHash = archive.lastHash;
    prevLast = archive.lastSeq;
  }
  return { trusted, problems };
}

/**
 * Verify the whole audit log. Reads the checkpoints, the archives and the head first, then walks the events up
 * to that head a page at a time (memory holds one page). Read-only.
 */
export async function verifyAuditChain(
  db: Db,
  options: number | VerifyOptions = {},
): Promise<ChainVerification> {
  const { keys = new Map(), pageSize = 1000 } = typeof options === 'number' ? { pageSize: options } : options;
  const checkpoints = await allCheckpoints(db);
  const archives = await db.select().from(auditArchives).orderBy(asc(auditArchives.firstSeq));
  const newest = await auditHead(db);
  const head = newest ? { seq: newest.seq, hash: newest.hash } : null;
  const pruned = archives.filter((a) => a.prunedAt !== null).at(-1);
  const anchor = pruned ? { seq: pruned.lastSeq, hash: pruned.lastHash } : null;
  const signed = checkSignedRecords(checkpoints, archives, keys);
  if (anchor) {
    // Events the archive records call pruned must be gone: else a changed pruned_at hides them from the walk.
    const [below] = await readAuditPage(db, 0, 1);
    if (below && below.seq <= anchor.seq)
      signed.problems.push({
        seq: below.seq,
        kind: 'archive_invalid',
        message: `event ${below.seq} is still in the log, but an archive record marks the events up to ${anchor.seq} as pruned (the archive record was changed)`,
      });
  }
  const latest = checkpoints.at(-1);

  // Trusted checkpoints of events still in the table, in seq order: each is compared as the walk passes it.
  const pending = signed.trusted.filter((cp) => cp.seq > (anchor?.seq ?? 0));
  let next = 0;
  let lastMatching: number | null = null;
  let expectedPrev = anchor?.hash ?? GENESIS_HASH;
  let prevSeq = anchor?.seq ?? 0;
  let checked = 0;
  let lastSeq: number | null = null;
  let walkProblem: ChainProblem | undefined;

  walk: for (let afterSeq = prevSeq; head && afterSeq < head.seq; ) {
    const rows = await readAuditPage(db, afterSeq, pageSize);
    for (const row of rows) {
      if (row.seq > head.seq) break walk;
      if (row.prevHash !== expectedPrev) {
        walkProblem = {
          seq: row.seq,
          kind: 'broken_link',
          message:
            checked === 0 && anchor
              ? `event ${row.seq} does not follow the last pruned event ${anchor.seq} (events were deleted, inserted or reordered, or the archive record was changed)`
              : `event ${row.seq} does not follow the event before it (a row was deleted, inserted or reordered)`,
        };
        break walk;
      }
      // The chain links, yet a signed event before this one is gone: it was cut off and has grown again.
      const skipped = pending[next];
      if (skipped && skipped.seq < row.seq) {
        walkProblem = missing(skipped, prevSeq, row.seq);
        break walk;
      }
      const { seq, prevHash, hash, ...content } = row;
      if (auditHash(prevHash, content) !== hash) {
        walkProblem = {
          seq,
          kind: 'hash_mismatch',
          message: `event ${seq} was modified after it was written`,
        };
        break walk;
      }
      for (let c = pending[next]; c && c.seq === seq; c = pending[next]) {
        if (c.hash !== hash) {
          walkProblem = {
            seq,
            kind: 'checkpoint_mismatch',
            checkpointSeq: seq,
            message:
              `event ${seq} is not the event the checkpoint of ${c.createdAt.toISOString()} signed: the chain was ` +
              `rewritten with recomputed hashes at or before event ${seq}` +
              (lastMatching === null
                ? ''
                : ` (after event ${lastMatching}, the last checkpoint that matches)`),
          };
          break walk;
        }
        lastMatching = seq;
        next += 1;
      }
      expectedPrev = hash;
      prevSeq = seq;
      lastSeq = seq;
      checked += 1;
    }
    if (rows.length < pageSize) break;
    afterSeq = rows.at(-1)?.seq ?? head.seq;
  }
  // A trusted checkpoint beyond the last event: the newest events were removed.
  const beyond = pending[next];
  if (!walkProblem && beyond) walkProblem = missing(beyond, prevSeq);

  const problem = [walkProblem, ...signed.problems]
    .filter((p): p is ChainProblem => p !== undefined)
    .reduce<ChainProblem | undefined>(
      (first, p) => (first === undefined || p.seq < first.seq ? p : first),
      undefined,
    );
  return {
    ok: problem === undefined,
    checked,
    checkpointsChecked: signed.trusted.length,
    lastSeq,
    lastHash: expectedPrev,
    head,
    lastCheckpoint: latest
      ? { seq: latest.seq, hash: latest.hash, createdAt: latest.createdAt, keyId: latest.keyId }
      : null,
    anchor,
    ...(problem ? { problem } : {}),
  };
}

/**
 * A signed event that is not in the table: the events after the last one present were cut off (`resumedAt`: the
 * log then grew again from that event).
 */
function missing(cp: CheckpointRow, prevSeq: number, resumedAt?: number): ChainProblem {
  const first = prevSeq + 1;
  const signed = `the checkpoint of ${cp.createdAt.toISOString()} signed event ${cp.seq}`;
  return {
    seq: first,
    kind: 'truncated',
    checkpointSeq: cp.seq,
    message:
      resumedAt === undefined
        ? `events from ${first} on are missing: ${signed}, but the log ends at event ${prevSeq} (the newest events were removed)`
        : `events ${first} to ${resumedAt - 1} are missing: ${signed}, which is no longer in the log (the newest events were removed and the log grew again from event ${resumedAt})`,
  };
}

export type VerificationTrigger = 'job' | 'cli' | 'admin';
export type VerificationRow = typeof auditVerifications.$inferSelect;

/** Run the verifier and record the run (the metrics, the admin page and readiness read the latest). */
export async function runVerification(
  db: Db,
  keys: AuditVerifyKeys,
  trigger: VerificationTrigger,
  now: () => Date,
): Promise<{ result: ChainVerification; record: VerificationRow }> {
  const startedAt = now();
  const started = performance.now();
  const result = await verifyAuditChain(db, { keys });
  const finishedAt = new Date(startedAt.getTime() + Math.round(performance.now() - started));
  const headSeq = result.head?.seq ?? result.anchor?.seq ?? null;
  const [record] = await db
    .insert(auditVerifications)
    .values({
      startedAt,
      finishedAt,
      trigger,
      ok: result.ok,
      eventsChecked: result.checked,
      checkpointsChecked: result.checkpointsChecked,
      headSeq,
      headHash: result.head?.hash ?? result.anchor?.hash ?? null,
      problemSeq: result.problem?.seq ?? null,
      problemKind: result.problem?.kind ?? null,
      message: result.problem?.message ?? null,
    })
    .returning();
  if (!record) throw new Error('verification insert returned nothing');
  return { result, record };
}

/** The newest recorded verification run, if any. */
export async function latestVerification(db: Db): Promise<VerificationRow | null> {
  const [row] = await db
    .select()
    .from(auditVerifications)
    .orderBy(desc(auditVerifications.startedAt), desc(auditVerifications.id))
    .limit(1);
  return row ?? null;
}
