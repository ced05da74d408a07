import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import type { ReadinessReport } from '../../src/contract/api/readiness.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import type {
  Comment,
  CommentList,
  MentionFeed,
  Phase,
  Risk,
  RiskList,
  Workspace,
  Workstream,
} from '../../src/contract/api/workspace.ts';
import { programPhases, readinessAttestations } from '../../src/server/db/schema.governance.ts';
import { auditEvents } from '../../src/server/db/schema.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { toPhases } from '../../src/server/modules/workspace/workspace.phases.ts';
import { ensureProgramWorkspace, SEED_PHASES } from '../../src/server/modules/workspace/workspace.seed.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let priya: Session; // admin (MFA)
let maya: Session; // manager
let ari: Session; // advocate
let victor: Session; // viewer
const idOf: Record<string, string> = {};

const db = () => stack.db.database.db;
const base = '/api/v1/workspace';

beforeAll(async () => {
  stack = await startStack();
  [maya, ari, victor] = (await Promise.all(['Maya', 'Ari', 'Victor'].map((who) => stack.signIn(who)))) as [
    Session,
    Session,
    Session,
  ];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  for (const [name, session] of Object.entries({ priya, maya, ari, victor }))
    idOf[name] = (await session.json<Me>('/api/v1/me')).person.id;
});
afterAll(async () => {
  await stack?.close();
});

async function call<T>(
  who: Session,
  method: string,
  path: string,
  body: unknown,
  status: number,
): Promise<T> {
  const response = method === 'GET' ? await who.get(path) : await who.send(method, path, body);
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
const workspace = (who: Session = maya) => call<Workspace>(who, 'GET', base, undefined, 200);
const phaseOf = (ws: Workspace, id: string) => ws.phases.find((p) => p.id === id) as Phase;
const fieldsOf = (problem: { errors?: { field: string }[] }) => (problem.errors ?? []).map((e) => e.field);

async function events(action: string, targetId?: string) {
  const rows = await db()
    .select()
    .from(auditEvents)
    .where(
      targetId
        ? and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId))
        : eq(auditEvents.action, action),
    );
  return rows;
}

describe('the seeded program', () => {
  it('has the four phases in order, the four workstreams and the memo’s risks (none a blocker)', async () => {
    const ws = await workspace();
    expect(ws.phases.map((p) => p.id)).toEqual([
      'identity-org',
      'runtime',
      'telemetry-governance',
      'rollout-gate',
    ]);
    expect(phaseOf(ws, 'identity-org').exitGates.map((g) => g.id)).toContain('org.source_confirmed');
    expect(phaseOf(ws, 'runtime').owner).toBe('Platform Engineering');
    expect(phaseOf(ws, 'rollout-gate').exitGates.map((g) => g.id)).toEqual(['deploy.release_gate_passed']);
    expect(phaseOf(ws, 'rollout-gate').verdict).toBe(ws.verdict);
    expect(phaseOf(ws, 'runtime').verdict).toBeNull();
    expect(ws.workstreams.map((w) => [w.name, w.status, w.phaseId])).toEqual([
      ['Okta SSO and workforce identity', 'needs_decision', 'identity-org'],
      ['Org-aware access and Builder Relations group truth', 'needs_decision', 'identity-org'],
      ['Internal hosting in Kanopy', 'drafted', 'runtime'],
      ['Observability, telemetry, and analytics', 'needs_decision', 'telemetry-governance'],
    ]);
    expect(ws.risks).toHaveLength(4);
    expect(ws.risks.every((r) => r.level === 'high' && r.status === 'open' && !r.blocking)).toBe(true);
    expect(ws.risks.every((r) => r.workstream !== null && r.mitigation !== '')).toBe(true);
    expect(ws.openBlockers).toBe(0);
    const created = await events('workstream.created');
    expect(created).toHaveLength(4);
    expect(created.every((e) => e.actorId === null)).toBe(true);
    expect(await events('risk.created')).toHaveLength(4);
  });

  it('is seeded once: running the seed again adds nothing', async () => {
    await ensureProgramWorkspace(db(), systemContext('test'), new Date());
    const ws = await workspace();
    expect(ws.workstreams).toHaveLength(4);
    expect(ws.risks).toHaveLength(4);
    expect(await events('workstream.created')).toHaveLength(4);
  });

  it('every signed-in role reads it', async () => {
    for (const who of [ari, victor, priya]) expect((await workspace(who)).phases).toHaveLength(4);
  });
});

describe('phase state follows the live readiness gates', () => {
  it('a phase is complete when its exit gates pass; the first incomplete one is current', async () => {
    const before = phaseOf(await workspace(), 'identity-org');
    const patched = await call<Phase>(
      priya,
      'PATCH',
      `${base}/phases/identity-org`,
      {
        exitGates: ['identity.okta_app_registered', 'identity.okta_app_registered'],
        version: before.version,
      },
      200,
    );
    expect(patched.exitGates).toEqual([
      expect.objectContaining({ id: 'identity.okta_app_registered', status: 'fail' }),
    ]);
    expect(patched.state).toBe('current');
    expect(patched.version).toBe(before.version + 1);
    const [event] = await events('program_phase.updated', 'identity-org');
    expect(event?.details).toEqual({
      fromVersion: before.version,
      toVersion: before.version + 1,
      changed: ['exitGates'],
    });

    // Attest the manual gate (as the readiness API would store it): the phase completes, runtime is current.
    const now = Date.now();
    await db()
      .insert(readinessAttestations)
      .values({
        gateId: 'identity.okta_app_registered',
        status: 'pass',
        owner: 'Identity and Security',
        evidenceUrl: 'https://example.com/okta-app',
        attestedAt: new Date(now - 60_000),
        expiresAt: new Date(now + 90 * 86_400_000),
      });
    let ws = await workspace();
    expect(phaseOf(ws, 'identity-org').exitGates[0]?.status).toBe('pass');
    expect(phaseOf(ws, 'identity-org').state).toBe('complete');
    expect(phaseOf(ws, 'runtime').state).toBe('current');
    expect(phaseOf(ws, 'telemetry-governance').state).toBe('upcoming');
    expect(phaseOf(ws, 'rollout-gate').state).toBe('upcoming');

    // The attestation says it is not done after all: back to current.
    await db()
      .update(readinessAttestations)
      .set({ status: 'fail' })
      .where(eq(readinessAttestations.gateId, 'identity.okta_app_registered'));
    ws = await workspace();
    expect(phaseOf(ws, 'identity-org').state).toBe('current');
    expect(phaseOf(ws, 'runtime').state).toBe('upcoming');
  });

  it('refuses an unknown gate, naming it, and a stale version', async () => {
    const phase = phaseOf(await workspace(), 'runtime');
    const bad = await call<{ errors: { field: string }[] }>(
      priya,
      'PATCH',
      `${base}/phases/runtime`,
      { exitGates: ['runtime.migrations_current', 'runtime.nope'], version: phase.version },
      400,
    );
    expect(fieldsOf(bad)).toEqual(['body.exitGates.1']);
    await call(
      priya,
      'PATCH',
      `${base}/phases/runtime`,
      { owner: 'Platform Engineering (Kanopy)', version: phase.version },
      200,
    );
    const stale = await call<{ errors: { field: string }[] }>(
      priya,
      'PATCH',
      `${base}/phases/runtime`,
      { targetDate: '2027-01-31', version: phase.version },
      409,
    );
    expect(fieldsOf(stale)).toEqual(['body.version']);
    const [row] = await db().select().from(programPhases).where(eq(programPhases.id, 'runtime'));
    expect(row?.owner).toBe('Platform Engineering (Kanopy)');
    expect(row?.targetDate).toBeNull();
    await call(priya, 'PATCH', `${base}/phases/nowhere`, { owner: 'x', version: 1 }, 404);
  });
});

describe('risks', () => {
  let blocker: Risk;

  it('an open blocker makes the verdict no-go; closing it lifts that', async () => {
    const stream = (await workspace()).workstreams[2] as Workstream;
    blocker = await call<Risk>(
      priya,
      'POST',
      `${base}/risks`,
      {
        title: 'Kanopy ingress not approved',
        level: 'blocker',
        owner: 'Platform Engineering',
        mitigation: 'Escalate the ingress review',
        workstreamId: stream.id,
      },
      201,
    );
    expect(blocker).toMatchObject({
      status: 'open',
      blocking: true,
      version: 1,
      workstream: { id: stream.id },
    });
    const ws = await workspace();
    expect(ws.openBlockers).toBe(1);
    expect(ws.verdict).toBe('no_go');
    const readiness = () => call<ReadinessReport>(victor, 'GET', '/api/v1/readiness', undefined, 200);
    let report = await readiness();
    expect(report.verdict).toBe('no_go');
    expect(report.blockers.map((b) => b.id)).toContain(blocker.id);
    const [created] = await events('risk.created', blocker.id);
    expect(created?.actorId).toBe(idOf.priya);

    const mitigating = await call<Risk>(
      priya,
      'PATCH',
      `${base}/risks/${blocker.id}`,
      { status: 'mitigating', version: 1 },
      200,
    );
    expect(mitigating.blocking).toBe(true);
    const closed = await call<Risk>(
      priya,
      'PATCH',
      `${base}/risks/${blocker.id}`,
      { status: 'closed', version: 2 },
      200,
    );
    expect(closed).toMatchObject({ status: 'closed', blocking: false, version: 3 });
    report = await readiness();
    expect(report.blockers.map((b) => b.id)).not.toContain(blocker.id);
    expect((await workspace()).openBlockers).toBe(0);
    const updates = await events('risk.updated', blocker.id);
    expect(updates.map((e) => e.details)).toEqual(
      expect.arrayContaining([
        { level: 'blocker', status: 'closed', fromVersion: 2, toVersion: 3, changed: ['status'] },
      ]),
    );
    blocker = closed;
  });

  it('a stale version is 409 and changes nothing; an edit that changes nothing keeps the version', async () => {
    const stale = await call<{ errors: { field: string }[] }>(
      priya,
      'PATCH',
      `${base}/risks/${blocker.id}`,
      { status: 'open', version: 2 },
      409,
    );
    expect(fieldsOf(stale)).toEqual(['body.version']);
    const same = await call<Risk>(
      priya,
      'PATCH',
      `${base}/risks/${blocker.id}`,
      { status: 'closed', version: 3 },
      200,
    );
    expect(same.version).toBe(3);
    expect(await events('risk.updated', blocker.id)).toHaveLength(2);
  });

  it('filters by level and status', async () => {
    const blockers = await call<RiskList>(maya, 'GET', `${base}/risks?level=blocker`, undefined, 200);
    expect(blockers.items.map((r) => r.id)).toEqual([blocker.id]);
    const open = await call<RiskList>(maya, 'GET', `${base}/risks?status=open`, undefined, 200);
    expect(open.items).toHaveLength(4);
    expect(open.items.every((r) => r.status === 'open')).toBe(true);
    await call(maya, 'GET', `${base}/risks?level=severe`, undefined, 400);
  });

  it('validates, names the field, and only admins write', async () => {
    const bad = await call<{ errors: { field: string }[] }>(
      priya,
      'POST',
      `${base}/risks`,
      { title: 'x', level: 'high', owner: 'y', workstreamId: randomUUID() },
      400,
    );
    expect(fieldsOf(bad)).toEqual(['body.workstreamId']);
    const long = await call<{ errors: { field: string }[] }>(
      priya,
      'POST',
      `${base}/risks`,
      { title: 'x'.repeat(201), level: 'high', owner: 'y' },
      400,
    );
    expect(fieldsOf(long)).toContain('body.title');
    await call(victor, 'PATCH', `${base}/risks/${blocker.id}`, { status: 'open', version: 3 }, 403);
    await call(maya, 'POST', `${base}/risks`, { title: 'x', level: 'low', owner: 'y' }, 403);
    await call(ari, 'PATCH', `${base}/phases/runtime`, { owner: 'x', version: 1 }, 403);
    await call(priya, 'PATCH', `${base}/risks/${randomUUID()}`, { status: 'open', version: 1 }, 404);
    await call(priya, 'PATCH', `${base}/risks/not-a-uuid`, { status: 'open', version: 1 }, 400);
  });
});

describe('workstreams', () => {
  it('create, edit with versions, names unique ignoring case', async () => {
    const created = await call<Workstream>(
      priya,
      'POST',
      `${base}/workstreams`,
      {
        name: 'Access reviews',
        owner: 'Identity and Security',
        status: 'in_discovery',
        phaseId: 'identity-org',
      },
      201,
    );
    expect(created).toMatchObject({ version: 1, description: '', phaseId: 'identity-org' });
    await call(
      priya,
      'POST',
      `${base}/workstreams`,
      { name: 'ACCESS reviews', owner: 'x', status: 'drafted' },
      409,
    );
    const badPhase = await call<{ errors: { field: string }[] }>(
      priya,
      'POST',
      `${base}/workstreams`,
      { name: 'Other', owner: 'x', status: 'drafted', phaseId: 'nowhere' },
      400,
    );
    expect(fieldsOf(badPhase)).toEqual(['body.phaseId']);
    const edited = await call<Workstream>(
      priya,
      'PATCH',
      `${base}/workstreams/${created.id}`,
      { status: 'decided', phaseId: null, version: 1 },
      200,
    );
    expect(edited).toMatchObject({ status: 'decided', phaseId: null, version: 2 });
    await call(priya, 'PATCH', `${base}/workstreams/${created.id}`, { status: 'blocked', version: 1 }, 409);
    await call(victor, 'POST', `${base}/workstreams`, { name: 'Nope', owner: 'x', status: 'drafted' }, 403);
    await call(priya, 'PATCH', `${base}/workstreams/${randomUUID()}`, { status: 'blocked', version: 1 }, 404);
    const [event] = await events('workstream.updated', created.id);
    expect(event?.details).toEqual({
      name: 'Access reviews',
      fromVersion: 1,
      toVersion: 2,
      changed: ['status', 'phaseId'],
    });
  });
});

describe('comments and mentions', () => {
  let riskId: string;

  it('resolves @first.last to people and leaves unknown handles as text', async () => {
    riskId = ((await workspace()).risks[0] as Risk).id;
    const body = 'Can @maya.patel confirm the owner? cc @nobody.here and @Maya.Patel again.';
    const comment = await call<Comment>(
      ari,
      'POST',
      `${base}/comments?targetType=risk&targetId=${riskId}`,
      { body },
      201,
    );
    expect(comment.body).toBe(body);
    expect(comment.author).toEqual({ id: idOf.ari, name: expect.any(String) });
    expect(comment.mentions).toEqual([{ id: idOf.maya, name: expect.any(String), handle: 'maya.patel' }]);
    const [event] = await events('program_comment.created', comment.id);
    expect(event?.details).toEqual({ targetType: 'risk', targetId: riskId, mentions: [idOf.maya] });
    expect(event?.actorId).toBe(idOf.ari);

    const plain = await call<Comment>(
      victor,
      'POST',
      `${base}/comments?targetType=phase&targetId=runtime`,
      { body: 'Mail maya.patel@example.com or ping @no.such.person' },
      201,
    );
    expect(plain.mentions).toEqual([]);

    const thread = await call<CommentList>(
      maya,
      'GET',
      `${base}/comments?targetType=risk&targetId=${riskId}`,
      undefined,
      200,
    );
    expect(thread.items.map((c) => c.id)).toEqual([comment.id]);
  });

  it('feeds the mentions of me, newest first, with what they are about', async () => {
    const second = await call<Comment>(
      priya,
      'POST',
      `${base}/comments?targetType=phase&targetId=identity-org`,
      { body: '@maya.patel the Okta app is registered' },
      201,
    );
    const feed = await call<MentionFeed>(maya, 'GET', `${base}/mentions`, undefined, 200);
    expect(feed.items.map((c) => c.id)[0]).toBe(second.id);
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]?.targetLabel).toBe('Identity & org');
    expect(feed.items[1]?.targetLabel).toBe((await workspace()).risks.find((r) => r.id === riskId)?.title);
    const ariFeed = await call<MentionFeed>(ari, 'GET', `${base}/mentions`, undefined, 200);
    expect(ariFeed.items).toEqual([]);
  });

  it('needs an existing target and a bounded body', async () => {
    await call(ari, 'POST', `${base}/comments?targetType=risk&targetId=${randomUUID()}`, { body: 'hi' }, 404);
    await call(
      ari,
      'POST',
      `${base}/comments?targetType=decision&targetId=${randomUUID()}`,
      { body: 'hi' },
      404,
    );
    await call(ari, 'POST', `${base}/comments?targetType=phase&targetId=nowhere`, { body: 'hi' }, 404);
    await call(ari, 'GET', `${base}/comments?targetType=workstream&targetId=${randomUUID()}`, undefined, 404);
    const malformed = await call<{ errors: { field: string }[] }>(
      ari,
      'POST',
      `${base}/comments?targetType=risk&targetId=abc`,
      { body: 'hi' },
      400,
    );
    expect(fieldsOf(malformed)).toEqual(['query.targetId']);
    const long = await call<{ errors: { field: string }[] }>(
      ari,
      'POST',
      `${base}/comments?targetType=phase&targetId=runtime`,
      { body: 'x'.repeat(4001) },
      400,
    );
    expect(fieldsOf(long)).toEqual(['body.body']);
    await call(ari, 'POST', `${base}/comments?targetType=memo&targetId=runtime`, { body: 'hi' }, 400);
  });
});

describe('reading with an API token', () => {
  it('needs readiness:read; writes need a session', async () => {
    const issue = async (scopes: string[]) => {
      const response = await maya.post('/api/v1/tokens', {
        name: `ws ${scopes.join(' ')}`,
        scopes,
        expiresInDays: 1,
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return ((await response.json()) as ApiTokenIssued).token;
    };
    const withScope = await issue(['readiness:read']);
    const without = await issue(['insights:read']);
    const as = (token: string, method = 'GET', path = base, body?: unknown) =>
      fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await as(withScope)).status).toBe(200);
    expect((await as(withScope, 'GET', `${base}/risks`)).status).toBe(200);
    expect((await as(without)).status).toBe(403);
    const post = await as(withScope, 'POST', `${base}/comments?targetType=phase&targetId=runtime`, {
      body: 'hi',
    });
    expect([401, 403]).toContain(post.status);
  });
});

describe('phase states (pure)', () => {
  const rows = SEED_PHASES.map((p) => ({
    ...p,
    exitGates: [...p.exitGates],
    targetDate: null,
    version: 1,
    updatedAt: new Date(),
  }));
  const report = (verdict: ReadinessReport['verdict'], failing: string[]): ReadinessReport => ({
    evaluatedAt: new Date().toISOString(),
    environment: 'local',
    verdict,
    reasons: [],
    counts: { pass: 0, warn: 0, fail: failing.length },
    blockers: [],
    blocks: [
      {
        id: 'workforce_identity',
        label: 'x',
        status: 'pass',
        gates: rows
          .flatMap((r) => r.exitGates)
          .map((id) => ({
            id,
            block: 'workforce_identity' as const,
            title: id,
            priority: 'P0' as const,
            kind: 'automatic' as const,
            status: failing.includes(id) ? ('fail' as const) : ('pass' as const),
            reason: '',
            evidence: {},
            fix: '',
            owner: null,
            evidenceUrl: null,
            expiresAt: null,
          })),
      },
    ],
  });
  const states = (r: ReadinessReport) => toPhases(rows, r).map((p) => p.state);

  it('the rollout gate completes only on a go verdict; later phases wait for earlier ones', () => {
    expect(states(report('go', []))).toEqual(['complete', 'complete', 'complete', 'complete']);
    expect(states(report('go_with_known_issues', []))).toEqual([
      'complete',
      'complete',
      'complete',
      'complete',
    ]);
    expect(states(report('no_go', []))).toEqual(['complete', 'complete', 'complete', 'current']);
    expect(states(report('no_go', ['runtime.migrations_current']))).toEqual([
      'complete',
      'current',
      'upcoming',
      'upcoming',
    ]);
    // An exit gate the report does not know fails.
    const unknown = toPhases(
      [{ ...(rows[0] as (typeof rows)[number]), exitGates: ['gone.gate'] }],
      report('go', []),
    );
    expect(unknown[0]?.exitGates[0]).toEqual({ id: 'gone.gate', title: 'gone.gate', status: 'fail' });
    expect(unknown[0]?.state).toBe('current');
  });
});
