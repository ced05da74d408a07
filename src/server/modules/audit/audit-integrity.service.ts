import { count, desc, isNotNull, max, sum } from 'drizzle-orm';
import type {
  AuditIntegrity,
  AuditVerification,
  AuditVerifyResult,
} from '../../../contract/api/audit-integrity.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { auditArchives, auditCheckpoints } from '../../db/schema.ts';
import { requireActor } from '../../plugins/types.ts';
import type { RequestContext } from '../identity/actor.ts';
import { latestCheckpoint } from './audit.checkpoints.ts';
import { type AuditExport, exportRange, startAuditExport } from './audit.export.ts';
import { type AuditVerifyKeys, existingSigningKey, verifyKeysFrom } from './audit.keys.ts';
import { auditHead } from './audit.repo.ts';
import { audit } from './audit.service.ts';
import { latestVerification, runVerification, type VerificationRow } from './audit.verify.ts';
import { authorizeAuditIntegrity } from './audit-integrity.policy.ts';

export interface AuditIntegrityDeps {
  db: Db;
  now: () => Date;
  config: Config;
  /** The product version written into exported OCSF metadata. */
  version: string;
}

/** Keys are parsed once per configuration (they do not change while the process runs). */
const keyCache = new WeakMap<Config, { keyId: string | null; verify: AuditVerifyKeys }>();
export function keysOf(config: Config) {
  let keys = keyCache.get(config);
  if (!keys) {
    const signing = existingSigningKey(config);
    keys = { keyId: signing?.keyId ?? null, verify: verifyKeysFrom(signing, config.audit.verifyKeys) };
    // A development key appears with the first checkpoint: do not remember "no key" for ever.
    if (signing) keyCache.set(config, keys);
  }
  return keys;
}

export function toVerification(row: VerificationRow): AuditVerification {
  return {
    id: row.id,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
    trigger: row.trigger,
    ok: row.ok,
    eventsChecked: row.eventsChecked,
    checkpointsChecked: row.checkpointsChecked,
    headSeq: row.headSeq,
    problemSeq: row.problemSeq,
    problemKind: row.problemKind as AuditVerification['problemKind'],
    message: row.message,
  };
}

const checkpointSummary = (c: { seq: number; hash: string; createdAt: Date; keyId: string } | null) =>
  c ? { seq: c.seq, hash: c.hash, createdAt: c.createdAt.toISOString(), keyId: c.keyId } : null;

export async function integrityStatus(
  deps: AuditIntegrityDeps,
  ctx: RequestContext,
): Promise<AuditIntegrity> {
  authorizeAuditIntegrity(requireActor(ctx));
  const { db, config } = deps;
  const keys = keysOf(config);
  const [verification, head, checkpoint, [checkpoints], [archives], [pruned]] = await Promise.all([
    latestVerification(db),
    auditHead(db),
    latestCheckpoint(db),
    db.select({ n: count() }).from(auditCheckpoints),
    db
      .select({
        n: count(),
        events: sum(auditArchives.eventCount).mapWith(Number),
        lastSeq: max(auditArchives.lastSeq),
        lastAt: max(auditArchives.createdAt),
      })
      .from(auditArchives),
    db
      .select({ lastSeq: auditArchives.lastSeq })
      .from(auditArchives)
      .where(isNotNull(auditArchives.prunedAt))
      .orderBy(desc(auditArchives.lastSeq))
      .limit(1),
  ]);
  return {
    latestVerification: verification ? toVerification(verification) : null,
    head: head ? { seq: head.seq, hash: head.hash, occurredAt: head.occurredAt.toISOString() } : null,
    lastCheckpoint: checkpointSummary(checkpoint),
    checkpointCount: checkpoints?.n ?? 0,
    signing: {
      keyId: keys.keyId,
      trustedKeyIds: [...keys.verify.keys()].sort(),
      checkpointMinutes: config.audit.checkpointMinutes,
    },
    retention: {
      hotDays: config.audit.hotDays,
      archives: archives?.n ?? 0,
      archivedEvents: archives?.events ?? 0,
      lastArchivedSeq: archives?.lastSeq ?? null,
      lastArchivedAt: archives?.lastAt ? new Date(archives.lastAt).toISOString() : null,
      prunedThroughSeq: pruned?.lastSeq ?? null,
    },
  };
}

/** "Verify now": a full run, recorded (trigger admin) and audited `audit.verified` with its outcome. */
export async function verifyNow(deps: AuditIntegrityDeps, ctx: RequestContext): Promise<AuditVerifyResult> {
  authorizeAuditIntegrity(requireActor(ctx));
  const { result, record } = await runVerification(deps.db, keysOf(deps.config).verify, 'admin', deps.now);
  await deps.db.transaction((tx) =>
    audit(tx, ctx, {
      action: 'audit.verified',
      outcome: result.ok ? 'success' : 'failure',
      details: {
        verificationId: record.id,
        eventsChecked: record.eventsChecked,
        checkpointsChecked: record.checkpointsChecked,
        headSeq: record.headSeq,
        problemSeq: record.problemSeq,
        problemKind: record.problemKind,
      },
    }),
  );
  return { verification: toVerification(record), lastCheckpoint: checkpointSummary(result.lastCheckpoint) };
}

/** The OCSF JSON Lines download (recorded before the first byte). */
export async function exportForAdmin(
  deps: AuditIntegrityDeps,
  ctx: RequestContext,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<AuditExport & { filename: string }> {
  authorizeAuditIntegrity(requireActor(ctx));
  const range = exportRange(query);
  const started = await startAuditExport(deps.db, ctx, range, 'api', deps.version);
  const label = (value: string | undefined, fallback: string) => (value ?? fallback).replace(/[^\w-]/g, '');
  return {
    ...started,
    filename: `builder-insights-audit-${label(query.from, 'start')}-${label(query.to, 'head')}.ocsf.jsonl`,
  };
}
