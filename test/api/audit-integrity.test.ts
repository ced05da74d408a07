import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditIntegrity, AuditVerifyResult } from '../../src/contract/api/audit-integrity.ts';
import { auditEvents } from '../../src/server/db/schema.ts';
import { auditCheckpointJob } from '../../src/server/modules/audit/audit.jobs.ts';
import { generateSigningKeyPem, parseSigningKey } from '../../src/server/modules/audit/audit.keys.ts';
import { collect } from '../../src/server/observability/metrics.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/** The audit integrity API: status, "verify now" and the OCSF export — admins only, each audited. */
const pem = generateSigningKeyPem();
const keyId = parseSigningKey(pem).keyId;
let stack: TestStack;
let priya: Session; // admin
let maya: Session; // manager
const db = () => stack.db.database.db;

async function lastEvent(action: string) {
  const [row] = await db()
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, action))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return row;
}

async function gauges() {
  const values: Record<string, number> = {};
  for (const metric of await collect())
    if (metric.name.startsWith('bi_audit_')) values[metric.name] = metric.samples[0]?.value ?? Number.NaN;
  return values;
}

beforeAll(async () => {
  stack = await startStack({ env: { AUDIT_SIGNING_KEY: pem, AUDIT_CHECKPOINT_MINUTES: '5' } });
  priya = await stack.signIn('Priya', { auth: 'mfa', returnTo: '/admin/' });
  maya = await stack.signIn('Maya', { returnTo: '/admin/' });
});
afterAll(async () => {
  await stack?.close();
});

describe('audit integrity API', () => {
  it('is for admins only', async () => {
    expect((await maya.get('/api/v1/audit/integrity')).status).toBe(403);
    expect((await maya.post('/api/v1/audit/verify', {})).status).toBe(403);
    expect((await maya.get('/api/v1/audit/export')).status).toBe(403);
    expect(await lastEvent('audit.exported')).toBeUndefined();
    expect(await lastEvent('audit.verified')).toBeUndefined();
  });

  it('shows the status, verifies now (recorded, audited) and exposes the gauges', async () => {
    expect(await gauges()).toMatchObject({
      bi_audit_chain_verification_status: -1,
      bi_audit_chain_last_verification_timestamp_seconds: 0,
      bi_audit_checkpoint_last_timestamp_seconds: 0,
    });
    const before = await priya.json<AuditIntegrity>('/api/v1/audit/integrity');
    expect(before).toMatchObject({
      latestVerification: null,
      lastCheckpoint: null,
      checkpointCount: 0,
      signing: { keyId, trustedKeyIds: [keyId], checkpointMinutes: 5 },
      retention: { hotDays: 400, archives: 0, archivedEvents: 0, prunedThroughSeq: null },
    });
    expect(before.head?.seq).toBeGreaterThan(0);

    expect(await auditCheckpointJob(db(), new Date(), stack.config)).toMatchObject({ created: true, keyId });
    const response = await priya.post('/api/v1/audit/verify', {});
    expect(response.status, await response.clone().text()).toBe(200);
    const result = (await response.json()) as AuditVerifyResult;
    expect(result).toMatchObject({
      verification: {
        ok: true,
        trigger: 'admin',
        checkpointsChecked: 1,
        problemSeq: null,
        problemKind: null,
      },
      lastCheckpoint: { keyId },
    });
    const event = await lastEvent('audit.verified');
    expect(event).toMatchObject({
      outcome: 'success',
      actorRole: 'admin',
      details: { verificationId: result.verification.id, problemSeq: null },
    });
    const after = await priya.json<AuditIntegrity>('/api/v1/audit/integrity');
    expect(after.latestVerification).toEqual(result.verification);
    expect(after.checkpointCount).toBe(1);
    const metrics = await gauges();
    expect(metrics).toMatchObject({
      bi_audit_chain_verification_status: 1,
      bi_audit_chain_head_seq: event?.seq,
      bi_audit_chain_last_verification_timestamp_seconds: Date.parse(result.verification.startedAt) / 1000,
    });
    expect(metrics.bi_audit_checkpoint_last_timestamp_seconds).toBeGreaterThan(0);
  });

  it('exports OCSF JSON Lines for a date range, audited with the range and the exact count', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const response = await priya.get(`/api/v1/audit/export?from=${today}&to=${today}`);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="builder-insights-audit-${today}-${today}.ocsf.jsonl"`,
    );
    const lines = (await response.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const exported = await lastEvent('audit.exported');
    expect(exported).toMatchObject({
      actorRole: 'admin',
      details: {
        via: 'api',
        from: `${today}T00:00:00.000Z`,
        to: new Date(Date.parse(today) + 86_400_000).toISOString(),
        count: lines.length,
        throughSeq: (exported?.seq ?? 0) - 1,
      },
    });
    expect(response.headers.get('x-audit-event-count')).toBe(String(lines.length));
    expect(lines.map((l) => l.metadata.sequence)).toEqual(
      [...lines.map((l) => l.metadata.sequence)].sort((a, b) => a - b),
    );
    const signIn = lines.find((l) => l.unmapped.action === 'auth.sign_in.succeeded');
    expect(signIn).toMatchObject({
      class_uid: 3002,
      activity_id: 1,
      type_uid: 300201,
      status_id: 1,
      metadata: { log_name: 'builder-insights-audit', product: { name: 'Builder Insights' } },
      src_endpoint: { ip: '127.0.0.1' },
    });

    // Nothing in range: an empty file, still audited.
    const empty = await priya.get('/api/v1/audit/export?from=2001-01-01&to=2001-01-31');
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');
    expect((await lastEvent('audit.exported'))?.details).toMatchObject({ count: 0 });

    const bad = await priya.get('/api/v1/audit/export?from=2026-02-01&to=2026-01-01');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([{ field: 'query.to', message: 'must be after from' }]);
    expect((await priya.get('/api/v1/audit/export?from=yesterday')).status).toBe(400);
  });

  it('reports a broken chain: the first bad event, audited as a failure, status gauge 0', async () => {
    const [target] = await db()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.sign_in.succeeded')))
      .orderBy(auditEvents.seq)
      .limit(1);
    await db().execute(sql`alter table audit_events disable trigger user`);
    await db().execute(sql`update audit_events set ip = '10.0.0.1' where seq = ${target?.seq}`);
    await db().execute(sql`alter table audit_events enable trigger user`);
    const result = (await (await priya.post('/api/v1/audit/verify', {})).json()) as AuditVerifyResult;
    expect(result.verification).toMatchObject({
      ok: false,
      problemSeq: target?.seq,
      problemKind: 'hash_mismatch',
    });
    expect(await lastEvent('audit.verified')).toMatchObject({
      outcome: 'failure',
      details: { problemSeq: target?.seq, problemKind: 'hash_mismatch' },
    });
    expect((await gauges()).bi_audit_chain_verification_status).toBe(0);
  });
});
