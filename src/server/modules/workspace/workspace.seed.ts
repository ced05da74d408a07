import { count } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { programPhases, risks, workstreams } from '../../db/schema.governance.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';

/**
 * The program as the seeds describe it (platform-operationalization: suggested sequencing, decision and
 * ownership map; executive memo: risks if this stays unresolved). Seeded once, when program_phases is empty;
 * afterwards the workspace is edited, never re-seeded. Phases need no audit event; the workstreams and risks
 * are audited as created by the system. No seeded risk is a blocker: a fresh install is not no-go for a reason
 * nobody chose.
 */

const SECURITY = 'Identity and Security';
const ORG = 'Builder Relations Ops and Org Systems';
const HOSTING = 'Platform Engineering and Application Engineering';
const OBSERVABILITY = 'Platform Engineering, Product, and Application Engineering';

export const SEED_PHASES = [
  {
    id: 'identity-org',
    position: 1,
    name: 'Identity & org',
    owner: SECURITY,
    description:
      'Decide the Okta SSO path, claims model and break-glass admin policy; define how Builder Relations ' +
      'membership and reporting structure enter the app and become roles.',
    exitGates: [
      'identity.issuer_reachable',
      'identity.claims_model_approved',
      'identity.mfa_privileged',
      'identity.break_glass',
      'identity.okta_app_registered',
      'org.source_fresh',
      'org.no_expired_exceptions',
      'org.access_review_cadence',
      'org.source_confirmed',
    ],
  },
  {
    id: 'runtime',
    position: 2,
    name: 'Runtime',
    owner: 'Platform Engineering',
    description: 'Move the internal web and service runtime into Kanopy with real environment discipline.',
    exitGates: [
      'runtime.migrations_current',
      'runtime.deployment_verified',
      'runtime.ingress_dns_planned',
      'runtime.secrets_central_store',
      'deploy.rollback_drill',
    ],
  },
  {
    id: 'telemetry-governance',
    position: 3,
    name: 'Telemetry & governance',
    owner: OBSERVABILITY,
    description:
      'Add the dashboards, alerts, analytics and audit views needed to operate the platform confidently.',
    exitGates: [
      'telemetry.metrics_scraped',
      'telemetry.alert_rules_loaded',
      'telemetry.tracing_export',
      'telemetry.dashboard_ownership',
      'audit.chain_verified',
      'audit.checkpoint_recent',
      'audit.owners_named',
    ],
  },
  {
    id: 'rollout-gate',
    position: 4,
    name: 'Rollout gate',
    owner: 'Builder Relations leadership',
    description:
      'Internal rollout is decided against the readiness model: the release gate passed and the verdict is go.',
    exitGates: ['deploy.release_gate_passed'],
  },
] as const;

const SEED_WORKSTREAMS = [
  {
    key: 'identity',
    name: 'Okta SSO and workforce identity',
    owner: SECURITY,
    status: 'needs_decision',
    phaseId: 'identity-org',
    description:
      'Okta SSO path and claims model still need a formal decision. Target: Okta-backed identity becomes the ' +
      'enterprise entry point.',
    plan: 'Decide the Okta SSO path, claims model, and break-glass admin policy first.',
  },
  {
    key: 'org',
    name: 'Org-aware access and Builder Relations group truth',
    owner: ORG,
    status: 'needs_decision',
    phaseId: 'identity-org',
    description:
      'Builder Relations source of truth still needs a confirmed operating answer. Target: Builder Relations ' +
      'membership and reporting scope become authoritative.',
    plan: 'Define how Builder Relations membership and reporting structure enter the app and become roles.',
  },
  {
    key: 'hosting',
    name: 'Internal hosting in Kanopy',
    owner: HOSTING,
    status: 'drafted',
    phaseId: 'runtime',
    description:
      'The first Kanopy runtime boundary is shaped enough to discuss, but not yet fully settled. Target: the ' +
      'internal runtime lives in Kanopy with explicit environment and operational discipline.',
    plan: 'Move the internal web and service runtime into Kanopy with real environment discipline.',
  },
  {
    key: 'observability',
    name: 'Observability, telemetry, and analytics',
    owner: OBSERVABILITY,
    status: 'needs_decision',
    phaseId: 'telemetry-governance',
    description:
      'Telemetry stack and dashboard ownership still need explicit approval. Target: reliability, audit, and ' +
      'usage visibility become built-in platform capabilities.',
    plan: 'Add the dashboards, alerts, analytics, and audit views needed to operate the platform confidently.',
  },
] as const;

const SEED_RISKS = [
  {
    workstream: 'identity',
    title: 'The product can appear ready while still lacking a supportable access model',
  },
  { workstream: 'org', title: 'Ambiguous org membership weakens both permissions and reporting trust' },
  {
    workstream: 'hosting',
    title: 'Internal hosting can stall if auth and ingress assumptions are unresolved',
  },
  {
    workstream: 'observability',
    title: 'Without telemetry, reliability and adoption remain harder to prove',
  },
] as const;

export async function ensureProgramWorkspace(db: Db, ctx: RequestContext, at: Date): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(programPhases);
  if ((existing?.n ?? 0) > 0) return;
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(programPhases)
      .values(SEED_PHASES.map((phase) => ({ ...phase, exitGates: [...phase.exitGates], updatedAt: at })))
      .onConflictDoNothing()
      .returning({ id: programPhases.id });
    // Another instance seeded it first (both saw an empty table): it seeded the rest too.
    if (inserted.length < SEED_PHASES.length) return;
    const streamIds = new Map<string, string>();
    for (const [index, { key, plan: _plan, ...stream }] of SEED_WORKSTREAMS.entries()) {
      // A millisecond apart, so "oldest first" keeps the seeds' order.
      const createdAt = new Date(at.getTime() + index);
      const [row] = await tx
        .insert(workstreams)
        .values({ ...stream, createdAt, updatedAt: createdAt })
        .onConflictDoNothing()
        .returning({ id: workstreams.id });
      if (!row) continue;
      streamIds.set(key, row.id);
      await audit(tx, ctx, {
        action: 'workstream.created',
        targetId: row.id,
        details: { name: stream.name, owner: stream.owner, status: stream.status },
      });
    }
    for (const seed of SEED_RISKS) {
      const stream = SEED_WORKSTREAMS.find((s) => s.key === seed.workstream);
      if (!stream) continue;
      const [row] = await tx
        .insert(risks)
        .values({
          title: seed.title,
          description: 'From the executive memo: risks if this stays unresolved.',
          level: 'high',
          status: 'open',
          mitigation: stream.plan,
          owner: stream.owner,
          workstreamId: streamIds.get(seed.workstream) ?? null,
          createdAt: at,
          updatedAt: at,
        })
        .returning({ id: risks.id });
      if (!row) continue;
      await audit(tx, ctx, {
        action: 'risk.created',
        targetId: row.id,
        details: { title: seed.title, level: 'high', status: 'open', owner: stream.owner },
      });
    }
  });
}
