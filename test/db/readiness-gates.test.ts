import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateStatus, ReadinessReport } from '../../src/contract/api/readiness.ts';
import { type Config, loadConfig } from '../../src/server/config.ts';
import {
  accessExceptions,
  accessReviewCampaigns,
  auditEvents,
  breakGlassPrincipals,
  claimsModels,
  orgSources,
  people,
  readinessAttestations,
  readinessRecords,
  readinessSnapshots,
  risks,
  runtimeSignals,
} from '../../src/server/db/schema.ts';
import { JOBS } from '../../src/server/jobs/catalog.ts';
import { audit } from '../../src/server/modules/audit/audit.service.ts';
import {
  insertPrincipal,
  insertPrincipalPerson,
} from '../../src/server/modules/break-glass/break-glass.repo.ts';
import { activate, markApproved } from '../../src/server/modules/claims-model/claims-model.repo.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { evaluateReadiness } from '../../src/server/modules/readiness/readiness.service.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import {
  DAY,
  type ExternalStub,
  passingEnv,
  seedPassingState,
  startExternalStub,
  verifyAudit,
} from '../helpers/readiness.ts';

/** Each automatic gate driven from pass to fail by changing real rows, and the verdict following. */
let tdb: TestDatabase;
let stub: ExternalStub;
let config: Config;
let dataDir: string;
const now = new Date();
const db = () => tdb.database.db;

beforeAll(async () => {
  tdb = await createTestDatabase();
  stub = await startExternalStub();
  dataDir = mkdtempSync(path.join(tmpdir(), 'bi-readiness-'));
  config = loadConfig({ NODE_ENV: 'test', ...passingEnv(stub, dataDir) });
  await seedPassingState(db(), config, now);
});
afterAll(async () => {
  await stub?.close();
  await tdb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function evaluate(options: { at?: Date; config?: Config } = {}): Promise<ReadinessReport> {
  return evaluateReadiness({ db: db(), now: () => options.at ?? now, config: options.config ?? config });
}
const gate = (report: ReadinessReport, id: string) => {
  const found = report.blocks.flatMap((b) => b.gates).find((g) => g.id === id);
  if (!found) throw new Error(`no gate ${id}`);
  return found;
};
/** Evaluate, expect `id` at `status` (and the verdict), return the gate. */
async function expectGate(id: string, status: GateStatus, verdict?: ReadinessReport['verdict']) {
  const report = await evaluate();
  const g = gate(report, id);
  expect(g.status, `${id}: ${g.reason}`).toBe(status);
  if (verdict) expect(report.verdict).toBe(verdict);
  if (verdict === 'no_go' && g.priority === 'P0')
    expect(report.reasons.some((r) => r.startsWith(id))).toBe(true);
  return g;
}

describe('readiness gates from live state', () => {
  it('the passing state: every gate passes and the verdict is go', async () => {
    const report = await evaluate();
    const notPassing = report.blocks.flatMap((b) => b.gates).filter((g) => g.status !== 'pass');
    expect(notPassing.map((g) => `${g.id}: ${g.reason}`)).toEqual([]);
    expect(report).toMatchObject({ verdict: 'go', reasons: [], environment: 'staging', blockers: [] });
    expect(report.counts).toEqual({ pass: 22, warn: 0, fail: 0 });
  });

  it('org.source_fresh: a stale source fails, no-go', async () => {
    await db()
      .update(orgSources)
      .set({ lastSuccessAt: new Date(now.getTime() - 2 * DAY) });
    expect((await expectGate('org.source_fresh', 'fail', 'no_go')).reason).toMatch(/scim is stale/);
    await db()
      .update(orgSources)
      .set({ lastSuccessAt: new Date(now.getTime() - 60_000) });
    await expectGate('org.source_fresh', 'pass', 'go');
  });

  it('org.no_expired_exceptions: an exception past its expiry still active fails', async () => {
    const [subject] = await db().select({ id: people.id }).from(people).limit(1);
    const [row] = await db()
      .insert(accessExceptions)
      .values({
        subjectId: subject?.id as string,
        role: 'manager',
        scopeKind: 'team',
        justification: 'covering a leave',
        status: 'active',
        requestedBy: subject?.id as string,
        requestedAt: new Date(now.getTime() - 10 * DAY),
        expiresAt: new Date(now.getTime() - 3_600_000),
      })
      .returning();
    expect((await expectGate('org.no_expired_exceptions', 'fail', 'no_go')).evidence.expiredButActive).toBe(
      1,
    );
    await db()
      .update(accessExceptions)
      .set({ status: 'expired' })
      .where(eq(accessExceptions.id, row?.id as string));
    await expectGate('org.no_expired_exceptions', 'pass', 'go');
  });

  it('audit.chain_verified: a tampered audit row fails once the verifier runs', async () => {
    const [target] = await db().select().from(auditEvents).orderBy(auditEvents.seq).limit(1);
    const tamper = (details: Record<string, unknown>) =>
      db().transaction(async (tx) => {
        await tx.execute(sql`alter table audit_events disable trigger user`);
        await tx
          .update(auditEvents)
          .set({ details })
          .where(eq(auditEvents.seq, target?.seq as number));
        await tx.execute(sql`alter table audit_events enable trigger user`);
      });
    await tamper({ ...(target?.details as Record<string, unknown>), reason: 'rewritten' });
    await expectGate('audit.chain_verified', 'pass'); // not noticed until the verifier runs
    // Each run a second later than the previous one: the gate reads the newest run.
    expect((await verifyAudit(db(), config, new Date(now.getTime() + 1000))).result.ok).toBe(false);
    const failed = await expectGate('audit.chain_verified', 'fail', 'no_go');
    expect(failed.evidence.problemSeq).toBe(target?.seq);
    await tamper(target?.details as Record<string, unknown>);
    expect((await verifyAudit(db(), config, new Date(now.getTime() + 2000))).result.ok).toBe(true);
    await expectGate('audit.chain_verified', 'pass', 'go');
  });

  it('deploy.rollback_drill: old, failed, then missing drills fail', async () => {
    const drill = eq(readinessRecords.kind, 'rollback_drill');
    await db()
      .update(readinessRecords)
      .set({ performedAt: new Date(now.getTime() - 100 * DAY) })
      .where(drill);
    expect((await expectGate('deploy.rollback_drill', 'fail', 'no_go')).reason).toMatch(/limit is 90 days/);
    await db()
      .update(readinessRecords)
      .set({ performedAt: new Date(now.getTime() - DAY), outcome: 'failed' })
      .where(drill);
    expect((await expectGate('deploy.rollback_drill', 'fail')).reason).toMatch(/failed/);
    const [saved] = await db().delete(readinessRecords).where(drill).returning();
    expect((await expectGate('deploy.rollback_drill', 'fail')).reason).toMatch(
      /No rollback drill is recorded for staging/,
    );
    await db()
      .insert(readinessRecords)
      .values({ ...(saved as typeof readinessRecords.$inferSelect), outcome: 'passed' });
    await expectGate('deploy.rollback_drill', 'pass', 'go');
  });

  it('runtime.deployment_verified: warns after 7 days, fails after 30 and in another environment', async () => {
    const verification = eq(readinessRecords.kind, 'deployment_verification');
    await db()
      .update(readinessRecords)
      .set({ performedAt: new Date(now.getTime() - 10 * DAY) })
      .where(verification);
    await expectGate('runtime.deployment_verified', 'warn', 'go_with_known_issues');
    await db()
      .update(readinessRecords)
      .set({ performedAt: new Date(now.getTime() - 31 * DAY) })
      .where(verification);
    await expectGate('runtime.deployment_verified', 'fail', 'no_go');
    await db()
      .update(readinessRecords)
      .set({ performedAt: new Date(now.getTime() - DAY), environment: 'dev' })
      .where(verification);
    await expectGate('runtime.deployment_verified', 'fail', 'no_go');
    await db().update(readinessRecords).set({ environment: 'staging' }).where(verification);
    await expectGate('runtime.deployment_verified', 'pass', 'go');
  });

  it('identity.break_glass: undrilled fails, three principals fail, none warns', async () => {
    await db()
      .update(breakGlassPrincipals)
      .set({ lastDrillAt: new Date(now.getTime() - 91 * DAY) });
    expect((await expectGate('identity.break_glass', 'fail', 'no_go')).evidence.undrilled).toBe(1);
    await db()
      .update(breakGlassPrincipals)
      .set({ lastDrillAt: new Date(now.getTime() - DAY) });
    for (const name of ['glass-2', 'glass-3']) {
      const person = await insertPrincipalPerson(db(), name, now);
      await insertPrincipal(db(), {
        name,
        personId: person.id,
        secretHash: 'x',
        totpSecret: 'x',
        lastDrillAt: now,
      });
    }
    expect((await expectGate('identity.break_glass', 'fail', 'no_go')).reason).toMatch(
      /3 break-glass principals/,
    );
    await db().update(breakGlassPrincipals).set({ status: 'revoked' });
    await expectGate('identity.break_glass', 'warn', 'go_with_known_issues');
    await db()
      .update(breakGlassPrincipals)
      .set({ status: 'active' })
      .where(eq(breakGlassPrincipals.name, 'glass-1'));
    await expectGate('identity.break_glass', 'pass', 'go');
  });

  it('org.access_review_cadence: none completed fails, an old one fails', async () => {
    const [saved] = await db().delete(accessReviewCampaigns).returning();
    expect((await expectGate('org.access_review_cadence', 'fail', 'no_go')).reason).toMatch(
      /No access review/,
    );
    await db()
      .insert(accessReviewCampaigns)
      .values({
        ...(saved as typeof accessReviewCampaigns.$inferSelect),
        closedAt: new Date(now.getTime() - 91 * DAY),
      });
    await expectGate('org.access_review_cadence', 'fail', 'no_go');
    await db()
      .update(accessReviewCampaigns)
      .set({ closedAt: new Date(now.getTime() - DAY) });
    await expectGate('org.access_review_cadence', 'pass', 'go');
  });

  it('telemetry.metrics_scraped: a scrape older than 5 minutes, or none, fails', async () => {
    await db()
      .update(runtimeSignals)
      .set({ observedAt: new Date(now.getTime() - 6 * 60_000) });
    await expectGate('telemetry.metrics_scraped', 'fail', 'no_go');
    await db().delete(runtimeSignals);
    expect((await expectGate('telemetry.metrics_scraped', 'fail')).reason).toMatch(/never/);
    await db().insert(runtimeSignals).values({ key: 'metrics.scraped', observedAt: now, detail: {} });
    await expectGate('telemetry.metrics_scraped', 'pass', 'go');
  });

  it('telemetry.alert_rules_loaded (P1): a missing alert or no PROMETHEUS_URL is a known issue', async () => {
    stub.missing.add('BiAuditVerificationFailed');
    const g = await expectGate('telemetry.alert_rules_loaded', 'fail', 'go_with_known_issues');
    expect(g.evidence.missing).toBe('BiAuditVerificationFailed');
    stub.missing.clear();
    await expectGate('telemetry.alert_rules_loaded', 'pass', 'go');
    const unset = loadConfig({ NODE_ENV: 'test', ...passingEnv(stub, dataDir), PROMETHEUS_URL: '' });
    expect(gate(await evaluate({ config: unset }), 'telemetry.alert_rules_loaded').reason).toBe(
      'PROMETHEUS_URL is not configured.',
    );
    const noTraces = loadConfig({
      NODE_ENV: 'test',
      ...passingEnv(stub, dataDir),
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    });
    expect(gate(await evaluate({ config: noTraces }), 'telemetry.tracing_export').status).toBe('warn');
  });

  it('identity gates: dev IdP outside local fails, locally warns; unreachable issuer fails; unapproved model fails', async () => {
    const devIdp = (env: string) =>
      loadConfig({
        NODE_ENV: 'test',
        ...passingEnv(stub, dataDir),
        OIDC_ISSUER: '',
        DEPLOY_ENVIRONMENT: env,
      });
    expect(gate(await evaluate({ config: devIdp('staging') }), 'identity.issuer_reachable').status).toBe(
      'fail',
    );
    expect(gate(await evaluate({ config: devIdp('local') }), 'identity.issuer_reachable').status).toBe(
      'warn',
    );
    const gone = loadConfig({
      NODE_ENV: 'test',
      ...passingEnv(stub, dataDir),
      OIDC_ISSUER: `${stub.base}/nowhere`,
    });
    expect(gate(await evaluate({ config: gone }), 'identity.issuer_reachable')).toMatchObject({
      status: 'fail',
    });
    await db().update(claimsModels).set({ approvedAt: null, approvedBy: null });
    await expectGate('identity.claims_model_approved', 'fail', 'no_go');
    await db().update(claimsModels).set({ approvedAt: now });
    await expectGate('identity.claims_model_approved', 'pass', 'go');
    await expectGate('identity.mfa_privileged', 'pass');
    // A new, approved version that no longer requires MFA for admins; then the original again.
    const [v1] = await db().select().from(claimsModels).where(eq(claimsModels.version, 1));
    const spec = v1?.model as { mfa: Record<string, unknown> };
    const next = async (version: number, model: Record<string, unknown>) => {
      await activate(db(), { version, model, reason: 'test', createdBy: null, createdAt: now });
      await markApproved(db(), version, randomUUID(), now);
    };
    await next(2, { ...spec, mfa: { ...spec.mfa, requiredFor: [] } });
    await expectGate('identity.mfa_privileged', 'fail', 'no_go');
    await next(3, spec);
    await expectGate('identity.mfa_privileged', 'pass', 'go');
  });

  it('runtime.migrations_current: a migration not applied fails', async () => {
    const rows = await db().execute(
      sql`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    const last = (rows as unknown as { rows: { id: number; hash: string; created_at: string }[] }).rows[0];
    await db().execute(sql`delete from drizzle.__drizzle_migrations where id = ${last?.id}`);
    await expectGate('runtime.migrations_current', 'fail', 'no_go');
    await db().execute(
      sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last?.id}, ${last?.hash}, ${last?.created_at})`,
    );
    await expectGate('runtime.migrations_current', 'pass', 'go');
  });

  it('audit.checkpoint_recent: events after an old checkpoint fail it', async () => {
    await db().transaction((tx) =>
      audit(tx, systemContext('test'), {
        action: 'readiness.attestation.revoked',
        targetId: 'x',
        details: { status: 'pass', owner: 'x' },
      }),
    );
    const later = gate(
      await evaluate({ at: new Date(now.getTime() + 31 * 60_000) }),
      'audit.checkpoint_recent',
    );
    expect(later.status).toBe('fail');
    await expectGate('audit.checkpoint_recent', 'pass');
  });

  it('manual gates: expiring soon warns, expired or revoked fails', async () => {
    const okta = eq(readinessAttestations.gateId, 'identity.okta_app_registered');
    await db()
      .update(readinessAttestations)
      .set({ expiresAt: new Date(now.getTime() + 5 * DAY) })
      .where(okta);
    await expectGate('identity.okta_app_registered', 'warn', 'go_with_known_issues');
    const expired = gate(
      await evaluate({ at: new Date(now.getTime() + 6 * DAY) }),
      'identity.okta_app_registered',
    );
    expect(expired.status).toBe('fail');
    await db().delete(readinessAttestations).where(okta);
    expect((await expectGate('identity.okta_app_registered', 'fail', 'no_go')).reason).toBe('Not attested.');
  });

  it('an open blocker risk is no-go until it is closed', async () => {
    const [risk] = await db()
      .insert(risks)
      .values({
        title: 'No Kanopy namespace',
        level: 'blocker',
        status: 'mitigating',
        owner: 'Platform Engineering',
      })
      .returning();
    const report = await evaluate();
    expect(report.blockers).toEqual([
      { id: risk?.id, title: 'No Kanopy namespace', owner: 'Platform Engineering', status: 'mitigating' },
    ]);
    expect(report.reasons).toContain(
      'Blocker open: No Kanopy namespace (owner Platform Engineering, mitigating)',
    );
    await db()
      .update(risks)
      .set({ status: 'closed' })
      .where(eq(risks.id, risk?.id as string));
    expect((await evaluate()).blockers).toEqual([]);
  });

  it('the daily readiness-snapshot job keeps a snapshot (trigger job), audited', async () => {
    const job = JOBS.find((j) => j.name === 'readiness-snapshot');
    expect(job?.everyMs).toBe(DAY);
    const result = await job?.run(db(), now, { oidc: null, config });
    expect(result).toMatchObject({ verdict: expect.any(String), environment: 'staging' });
    const [snap] = await db()
      .select()
      .from(readinessSnapshots)
      .where(eq(readinessSnapshots.id, result?.snapshotId as string));
    expect(snap).toMatchObject({ trigger: 'job', takenBy: null, environment: 'staging' });
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, snap?.id as string));
    expect(event).toMatchObject({ action: 'readiness.snapshot.created', actorId: null });
    expect(await job?.run(db(), now, { oidc: null, config: null })).toEqual({ skipped: 'no configuration' });
  });
});
