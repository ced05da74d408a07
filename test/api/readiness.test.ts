import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Attestation,
  AttestationList,
  ReadinessRecord,
  ReadinessRecordList,
  ReadinessReport,
  ReadinessSnapshot,
  ReadinessSnapshotList,
} from '../../src/contract/api/readiness.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { auditEvents, readinessSnapshots, risks, runtimeSignals } from '../../src/server/db/schema.ts';
import { resetScrapeThrottle } from '../../src/server/modules/readiness/readiness.signals.ts';
import { startMetricsServer } from '../../src/server/observability/metrics-server.ts';
import { freePort, type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let priya: Session; // admin (MFA)
let ari: Session; // advocate
let victor: Session; // viewer
let omar: Session | null; // no role
const db = () => stack.db.database.db;
const base = '/api/v1/readiness';
const GATE = 'identity.okta_app_registered';
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const attestation = (over: Record<string, unknown> = {}) => ({
  status: 'pass',
  owner: 'Identity and Security',
  evidenceUrl: 'https://change.example.com/OKTA-12',
  expiresAt: inDays(120),
  ...over,
});
const del = (who: Session, query = '') =>
  who.fetch(`${base}/gates/${GATE}/attestation${query}`, {
    method: 'DELETE',
    headers: { 'x-csrf-token': who.csrf },
  });
const put = (who: Session, gate: string, body: unknown) =>
  who.send('PUT', `${base}/gates/${gate}/attestation`, body);

beforeAll(async () => {
  stack = await startStack();
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  [ari, victor] = await Promise.all([stack.signIn('Ari'), stack.signIn('Victor')]);
  omar = await stack.signIn('Omar').catch(() => null);
});
afterAll(async () => {
  await stack?.close();
});

async function lastAudit(action: string) {
  const [row] = await db()
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, action))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return row;
}

async function bearer(token: string, path: string) {
  return fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

describe('readiness API: who may read and change', () => {
  it('401 without a session; viewer and advocate read the live report; viewer cannot attest', async () => {
    expect((await fetch(`${stack.baseUrl}${base}`)).status).toBe(401);
    const report = await victor.json<ReadinessReport>(base);
    expect(report.blocks.map((b) => b.id)).toHaveLength(6);
    expect(report.environment).toBe('local');
    const gate = report.blocks.flatMap((b) => b.gates).find((g) => g.id === GATE);
    expect(gate).toMatchObject({ status: 'fail', reason: 'Not attested.', kind: 'manual', priority: 'P0' });
    expect(report.verdict).toBe('no_go');
    expect(report.reasons.some((r) => r.startsWith(GATE))).toBe(true);
    expect((await ari.get(base)).status).toBe(200);
    const denied = await put(victor, GATE, attestation());
    expect(denied.status).toBe(403);
    expect((await victor.post(`${base}/snapshots`, {})).status).toBe(403);
    const drill = {
      kind: 'rollback_drill',
      environment: 'local',
      outcome: 'passed',
      performedAt: inDays(-1),
    };
    expect((await ari.post(`${base}/records`, drill)).status).toBe(403);
    if (omar) expect((await omar.get(base)).status).toBe(403);
  });

  it('a token needs readiness:read', async () => {
    const make = async (scopes: string[]) => {
      const res = await priya.post('/api/v1/tokens', {
        name: `t-${scopes.join('-')}`,
        scopes,
        expiresInDays: 7,
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as ApiTokenIssued).token;
    };
    expect((await bearer(await make(['insights:read']), base)).status).toBe(403);
    const ok = await bearer(await make(['readiness:read']), base);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as ReadinessReport).verdict).toBeDefined();
  });
});

describe('attestations', () => {
  it('creates, renews from the version read (stale → 409), validates, revokes; each audited', async () => {
    expect((await put(priya, 'identity.no_such_gate', attestation())).status).toBe(404);
    expect((await put(priya, 'identity.issuer_reachable', attestation())).status).toBe(404); // automatic
    const past = await put(priya, GATE, attestation({ expiresAt: inDays(-1) }));
    expect(past.status).toBe(400);
    expect(JSON.stringify(await past.json())).toContain('body.expiresAt');
    const far = await put(priya, GATE, attestation({ expiresAt: inDays(400) }));
    expect(far.status).toBe(400);
    expect(JSON.stringify(await far.json())).toContain('body.expiresAt');
    const badUrl = await put(priya, GATE, attestation({ evidenceUrl: 'javascript:alert(1)' }));
    expect(badUrl.status).toBe(400);
    expect(JSON.stringify(await badUrl.json())).toContain('evidenceUrl');

    const created = await put(priya, GATE, attestation());
    expect(created.status, await created.clone().text()).toBe(200);
    const first = (await created.json()) as Attestation;
    expect(first).toMatchObject({
      gateId: GATE,
      version: 1,
      status: 'pass',
      attestedBy: { name: expect.any(String) },
    });
    expect((await lastAudit('readiness.attestation.updated'))?.details).toMatchObject({
      fromVersion: 0,
      toVersion: 1,
    });

    const again = await put(priya, GATE, attestation()); // no version: already attested
    expect(again.status).toBe(409);
    expect(JSON.stringify(await again.json())).toContain('body.version');
    const renewed = (await (
      await put(priya, GATE, attestation({ version: 1, status: 'warn', note: 'one redirect URL pending' }))
    ).json()) as Attestation;
    expect(renewed.version).toBe(2);
    expect((await put(priya, GATE, attestation({ version: 1 }))).status).toBe(409);

    const report = await victor.json<ReadinessReport>(base);
    const gate = report.blocks.flatMap((b) => b.gates).find((g) => g.id === GATE);
    expect(gate).toMatchObject({ status: 'warn', evidenceUrl: 'https://change.example.com/OKTA-12' });
    const list = await victor.json<AttestationList>(`${base}/attestations`);
    expect(list.items.map((a) => a.gateId)).toEqual([GATE]);

    expect((await del(victor, '?version=2')).status).toBe(403);
    expect((await del(priya, '?version=1')).status).toBe(409);
    const revoked = await del(priya, '?version=2');
    expect(revoked.status).toBe(204);
    expect((await lastAudit('readiness.attestation.revoked'))?.targetId).toBe(GATE);
    expect((await del(priya)).status).toBe(404);
    const after = await victor.json<ReadinessReport>(base);
    expect(after.blocks.flatMap((b) => b.gates).find((g) => g.id === GATE)?.status).toBe('fail');
  });
});

describe('records', () => {
  it('records a rollback drill (audited) and the gate follows; future dates are refused', async () => {
    const before = await victor.json<ReadinessReport>(base);
    const drillGate = (r: ReadinessReport) =>
      r.blocks.flatMap((b) => b.gates).find((g) => g.id === 'deploy.rollback_drill');
    expect(drillGate(before)?.status).toBe('fail');
    const future = await priya.post(`${base}/records`, {
      kind: 'rollback_drill',
      environment: 'local',
      outcome: 'passed',
      performedAt: inDays(2),
    });
    expect(future.status).toBe(400);
    expect(JSON.stringify(await future.json())).toContain('body.performedAt');
    const res = await priya.post(`${base}/records`, {
      kind: 'rollback_drill',
      environment: 'local',
      outcome: 'passed',
      performedAt: inDays(-1),
      evidenceUrl: 'https://runbooks.example.com/drill/7',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const record = (await res.json()) as ReadinessRecord;
    expect(record).toMatchObject({ source: 'api', recordedBy: { name: expect.any(String) } });
    expect((await lastAudit('readiness.record.added'))?.targetId).toBe(record.id);
    expect(drillGate(await victor.json<ReadinessReport>(base))?.status).toBe('pass');
    const list = await victor.json<ReadinessRecordList>(
      `${base}/records?kind=rollback_drill&environment=local`,
    );
    expect(list.items[0]?.id).toBe(record.id);
    expect((await victor.json<ReadinessRecordList>(`${base}/records?environment=prod`)).items).toEqual([]);
    expect((await victor.get(`${base}/records?environment=moon`)).status).toBe(400);
  });
});

describe('snapshots and blockers', () => {
  it('keeps snapshots as history (audited), pages newest first, 404 unknown; an open blocker is no-go', async () => {
    const [risk] = await db()
      .insert(risks)
      .values({
        title: 'Okta tenant not provisioned',
        level: 'blocker',
        status: 'open',
        owner: 'Identity and Security',
      })
      .returning();
    const taken: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await priya.post(`${base}/snapshots`, {});
      expect(res.status, await res.clone().text()).toBe(201);
      const snap = (await res.json()) as ReadinessSnapshot;
      expect(snap).toMatchObject({ trigger: 'api', verdict: 'no_go', takenBy: { name: expect.any(String) } });
      expect(snap.report.blockers.map((b) => b.id)).toContain(risk?.id);
      expect(snap.report.reasons.some((r) => r.includes('Okta tenant not provisioned'))).toBe(true);
      taken.push(snap.id);
    }
    expect((await lastAudit('readiness.snapshot.created'))?.details).toMatchObject({
      trigger: 'api',
      verdict: 'no_go',
    });
    const page1 = await victor.json<ReadinessSnapshotList>(`${base}/snapshots?limit=2`);
    expect(page1.items.map((s) => s.id)).toEqual([taken[2], taken[1]]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await victor.json<ReadinessSnapshotList>(
      `${base}/snapshots?limit=2&cursor=${page1.nextCursor}`,
    );
    expect(page2.items.map((s) => s.id)).toEqual([taken[0]]);
    expect(page2.nextCursor).toBeNull();
    expect((await victor.get(`${base}/snapshots?cursor=garbage`)).status).toBe(400);
    const one = await victor.json<ReadinessSnapshot>(`${base}/snapshots/${taken[0]}`);
    expect(one.report.counts.fail).toBeGreaterThan(0);
    expect((await victor.get(`${base}/snapshots/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await db().select().from(readinessSnapshots)).length).toBe(3);

    await db()
      .update(risks)
      .set({ status: 'closed' })
      .where(eq(risks.id, risk?.id as string));
    const closed = await victor.json<ReadinessReport>(base);
    expect(closed.blockers).toEqual([]);
  });
});

describe('the metrics-scraped signal', () => {
  it('a successful scrape records metrics.scraped (at most once a minute) and the gate passes', async () => {
    const scraped = (r: ReadinessReport) =>
      r.blocks.flatMap((b) => b.gates).find((g) => g.id === 'telemetry.metrics_scraped');
    expect(scraped(await victor.json<ReadinessReport>(base))?.status).toBe('fail');
    resetScrapeThrottle();
    const metrics = await startMetricsServer({
      port: await freePort(),
      host: '127.0.0.1',
      log: stack.app.log,
    });
    try {
      const signal = async () =>
        (await db().select().from(runtimeSignals).where(eq(runtimeSignals.key, 'metrics.scraped')))[0];
      expect((await fetch(`http://127.0.0.1:${metrics.port}/metrics`)).status).toBe(200);
      await expect.poll(signal).toBeDefined();
      const first = (await signal())?.observedAt;
      expect((await fetch(`http://127.0.0.1:${metrics.port}/metrics`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await signal())?.observedAt).toEqual(first); // throttled
      expect(scraped(await victor.json<ReadinessReport>(base))?.status).toBe('pass');
    } finally {
      await metrics.close();
    }
  });
});
