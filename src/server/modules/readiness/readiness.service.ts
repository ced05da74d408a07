import type {
  Blocker,
  GateResult,
  ReadinessReport,
  ReadinessSnapshot,
  SNAPSHOT_TRIGGERS,
} from '../../../contract/api/readiness.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { GATES, type GateDefinition } from './readiness.catalog.ts';
import { chainVerified, checkpointRecent } from './readiness.gates.audit.ts';
import {
  breakGlass,
  claimsModelApproved,
  issuerReachable,
  mfaPrivileged,
} from './readiness.gates.identity.ts';
import { attested } from './readiness.gates.manual.ts';
import { accessReviewCadence, noExpiredExceptions, orgSourceFresh } from './readiness.gates.org.ts';
import { deploymentVerified, migrationsCurrent, rollbackDrill } from './readiness.gates.runtime.ts';
import { alertRulesLoaded, metricsScraped, tracingExport } from './readiness.gates.telemetry.ts';
import type { GateContext, GateEvaluator, GateOutcome } from './readiness.gates.ts';
import * as repo from './readiness.repo.ts';
import { buildReport } from './readiness.verdict.ts';

/**
 * The live readiness model (docs/readiness.md): every gate evaluated from current state, the verdict by the
 * release rule, and snapshots that keep an evaluation as history. evaluateReadiness and takeSnapshot are also
 * called by the program workspace and the audience packages.
 */
export interface ReadinessDeps {
  db: Db;
  now: () => Date;
  config: Config;
}

export type SnapshotTrigger = (typeof SNAPSHOT_TRIGGERS)[number];

const AUTOMATIC: Record<string, GateEvaluator> = {
  'identity.issuer_reachable': issuerReachable,
  'identity.claims_model_approved': claimsModelApproved,
  'identity.mfa_privileged': mfaPrivileged,
  'identity.break_glass': breakGlass,
  'org.source_fresh': orgSourceFresh,
  'org.no_expired_exceptions': noExpiredExceptions,
  'org.access_review_cadence': accessReviewCadence,
  'runtime.migrations_current': migrationsCurrent,
  'runtime.deployment_verified': deploymentVerified,
  'deploy.rollback_drill': rollbackDrill,
  'telemetry.metrics_scraped': metricsScraped,
  'telemetry.alert_rules_loaded': alertRulesLoaded,
  'telemetry.tracing_export': tracingExport,
  'audit.chain_verified': chainVerified,
  'audit.checkpoint_recent': checkpointRecent,
};

function evaluatorOf(gate: GateDefinition): GateEvaluator {
  if (gate.kind === 'manual') return attested(gate.id);
  const evaluator = AUTOMATIC[gate.id];
  if (!evaluator) throw new Error(`readiness gate ${gate.id} has no evaluator`);
  return evaluator;
}

/** A gate that cannot be evaluated fails (the evidence it needs is unavailable), without internals. */
async function evaluateGate(gate: GateDefinition, ctx: GateContext): Promise<GateResult> {
  let outcome: GateOutcome;
  try {
    outcome = await evaluatorOf(gate)(ctx);
  } catch {
    outcome = { status: 'fail', reason: 'The evidence for this gate could not be read.', evidence: {} };
  }
  const attestation = gate.kind === 'manual' ? ctx.attestations.get(gate.id) : undefined;
  return {
    id: gate.id,
    block: gate.block,
    title: gate.title,
    priority: gate.priority,
    kind: gate.kind,
    status: outcome.status,
    reason: outcome.reason,
    evidence: outcome.evidence,
    fix: gate.fix,
    owner: attestation?.owner ?? gate.owner,
    evidenceUrl: attestation?.evidenceUrl ?? null,
    expiresAt: attestation?.expiresAt.toISOString() ?? null,
  };
}

/** Evaluate every gate from live state (nothing is stored) and apply the release rule. */
export async function evaluateReadiness(deps: ReadinessDeps): Promise<ReadinessReport> {
  const now = deps.now();
  const attestations = new Map((await repo.listAttestations(deps.db)).map((a) => [a.gateId, a]));
  const ctx: GateContext = { db: deps.db, now, config: deps.config, attestations };
  // Sequential: one PGlite connection serializes anyway, and a pool is spared a burst of 20 queries.
  const gates: GateResult[] = [];
  for (const gate of GATES) gates.push(await evaluateGate(gate, ctx));
  const blockers: Blocker[] = await repo.openBlockers(deps.db);
  return buildReport(gates, blockers, deps.config.readiness.environment, now);
}

/** Evaluate and keep the result as a snapshot (audited readiness.snapshot.created, same transaction). */
export async function takeSnapshot(
  deps: ReadinessDeps,
  ctx: RequestContext,
  trigger: SnapshotTrigger,
): Promise<{ id: string; report: ReadinessReport }> {
  const report = await evaluateReadiness(deps);
  const row = await deps.db.transaction(async (tx) => {
    const created = await repo.insertSnapshot(tx, {
      takenAt: new Date(report.evaluatedAt),
      trigger,
      takenBy: ctx.actor?.personId ?? null,
      environment: report.environment,
      verdict: report.verdict,
      report: report as unknown as Record<string, unknown>,
    });
    await audit(tx, ctx, {
      action: 'readiness.snapshot.created',
      targetId: created.id,
      details: { verdict: report.verdict, environment: report.environment, trigger, counts: report.counts },
    });
    return created;
  });
  return { id: row.id, report };
}

export function snapshotOf(
  row: NonNullable<Awaited<ReturnType<typeof repo.findSnapshot>>>,
): ReadinessSnapshot {
  return {
    ...summaryOf(row),
    report: row.report as unknown as ReadinessReport,
  };
}

export function summaryOf(row: Awaited<ReturnType<typeof repo.listSnapshots>>[number]) {
  return {
    id: row.id,
    takenAt: row.takenAt.toISOString(),
    trigger: row.trigger,
    takenBy: row.takenBy ? { id: row.takenBy, name: row.takenByName ?? 'Unknown' } : null,
    environment: row.environment,
    verdict: row.verdict,
    counts: row.counts,
  };
}
