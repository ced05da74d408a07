import type { Database } from '../../db/client.ts';
import { migrationStatus } from '../../db/migrate.ts';
import {
  ago,
  DAY,
  fail,
  type GateContext,
  type GateEvaluator,
  type GateOutcome,
  iso,
  pass,
  warn,
} from './readiness.gates.ts';
import { latestRecord } from './readiness.repo.ts';

export const VERIFICATION_MAX_DAYS = 30;
export const VERIFICATION_WARN_DAYS = 7;
export const ROLLBACK_DRILL_MAX_DAYS = 90;

export const migrationsCurrent: GateEvaluator = async ({ db }) => {
  // migrationStatus reads only the database handle of the Database it is given.
  const status = await migrationStatus({ db } as Database);
  const evidence = {
    expected: status.expected,
    applied: status.applied,
    pending: status.pending.join(',') || null,
  };
  if (!status.current)
    return fail(`${status.pending.length} migration(s) shipped with this build are not applied.`, evidence);
  return pass(`All ${status.expected} migrations are applied.`, evidence);
};

async function latestOf(
  ctx: GateContext,
  kind: 'deployment_verification' | 'rollback_drill',
  what: string,
  maxDays: number,
  warnDays: number | null,
): Promise<GateOutcome> {
  const environment = ctx.config.readiness.environment;
  const row = await latestRecord(ctx.db, kind, environment);
  const evidence = {
    environment,
    recordId: row?.id ?? null,
    outcome: row?.outcome ?? null,
    performedAt: iso(row?.performedAt),
    source: row?.source ?? null,
    evidenceUrl: row?.evidenceUrl ?? null,
  };
  if (!row) return fail(`No ${what} is recorded for ${environment}.`, evidence);
  const age = ctx.now.getTime() - row.performedAt.getTime();
  if (row.outcome !== 'passed')
    return fail(
      `The latest ${what} in ${environment} (${ago(row.performedAt, ctx.now)} ago) failed.`,
      evidence,
    );
  if (age > maxDays * DAY)
    return fail(
      `The latest passing ${what} in ${environment} is ${ago(row.performedAt, ctx.now)} old; the limit is ${maxDays} days.`,
      evidence,
    );
  if (warnDays !== null && age > warnDays * DAY)
    return warn(
      `The latest ${what} in ${environment} passed ${ago(row.performedAt, ctx.now)} ago (older than ${warnDays} days).`,
      evidence,
    );
  return pass(`The latest ${what} in ${environment} passed ${ago(row.performedAt, ctx.now)} ago.`, evidence);
}

export const deploymentVerified: GateEvaluator = (ctx) =>
  latestOf(
    ctx,
    'deployment_verification',
    'deployment verification',
    VERIFICATION_MAX_DAYS,
    VERIFICATION_WARN_DAYS,
  );

export const rollbackDrill: GateEvaluator = (ctx) =>
  latestOf(ctx, 'rollback_drill', 'rollback drill', ROLLBACK_DRILL_MAX_DAYS, null);
