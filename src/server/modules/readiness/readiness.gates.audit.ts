import { latestCheckpoint } from '../audit/audit.checkpoints.ts';
import { auditHead } from '../audit/audit.repo.ts';
import { latestVerification } from '../audit/audit.verify.ts';
import { ago, fail, type GateEvaluator, HOUR, iso, MINUTE, pass } from './readiness.gates.ts';

export const CHAIN_VERIFIED_MAX_HOURS = 24;

export const chainVerified: GateEvaluator = async ({ db, now }) => {
  const run = await latestVerification(db);
  const evidence = {
    verifiedAt: iso(run?.startedAt),
    ok: run?.ok ?? null,
    trigger: run?.trigger ?? null,
    eventsChecked: run?.eventsChecked ?? null,
    problemSeq: run?.problemSeq ?? null,
    problemKind: run?.problemKind ?? null,
  };
  if (!run) return fail('The audit chain has never been verified.', evidence);
  if (!run.ok)
    return fail(
      `The latest audit verification (${ago(run.startedAt, now)} ago) failed${
        run.problemSeq !== null ? ` at event ${run.problemSeq}` : ''
      }${run.problemKind ? ` (${run.problemKind})` : ''}.`,
      evidence,
    );
  if (now.getTime() - run.startedAt.getTime() > CHAIN_VERIFIED_MAX_HOURS * HOUR)
    return fail(
      `The audit chain was last verified ${ago(run.startedAt, now)} ago (limit ${CHAIN_VERIFIED_MAX_HOURS} hours).`,
      evidence,
    );
  return pass(
    `The audit chain verified ${ago(run.startedAt, now)} ago (${run.eventsChecked} events).`,
    evidence,
  );
};

export const checkpointRecent: GateEvaluator = async ({ db, now, config }) => {
  const limitMinutes = 2 * config.audit.checkpointMinutes;
  const checkpoint = await latestCheckpoint(db);
  const evidence = {
    checkpointAt: iso(checkpoint?.createdAt),
    seq: checkpoint?.seq ?? null,
    keyId: checkpoint?.keyId ?? null,
    limitMinutes,
  };
  if (!checkpoint) return fail('No signed audit checkpoint exists.', evidence);
  // Checkpoints are made only when the head moved: an old one that signs the current head is still current.
  const head = await auditHead(db);
  if (head && head.seq === checkpoint.seq)
    return pass('The latest signed checkpoint covers the head of the audit log.', {
      ...evidence,
      headSeq: head.seq,
    });
  if (now.getTime() - checkpoint.createdAt.getTime() > limitMinutes * MINUTE)
    return fail(
      `The latest signed checkpoint is ${ago(checkpoint.createdAt, now)} old (limit ${limitMinutes} minutes).`,
      evidence,
    );
  return pass(`The latest signed checkpoint is ${ago(checkpoint.createdAt, now)} old.`, evidence);
};
