import { createServer, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  breakGlassApprovals,
  breakGlassPrincipals,
  breakGlassUses,
  sessions,
} from '../../src/server/db/schema.ts';
import { ConflictError } from '../../src/server/errors.ts';
import {
  type BreakGlassDeps,
  drillPrincipal,
  type Enrolment,
  enrollPrincipal,
} from '../../src/server/modules/break-glass/break-glass.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { snapshot } from '../../src/server/observability/metrics.ts';
import { type CookieJar, request } from '../helpers/http.ts';
import { freePort, SESSION_SECRET, Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Break-glass end to end: enrolment, refusal while the IdP is healthy (a request for approval), a second
 * admin's approval, the session it opens (≤ 60 min, not extended, every request audited), the alert, the
 * post-use review, failures and lockout, and opening once the IdP has been down for the configured period.
 */
let stack: TestStack;
let webhook: Server;
const received: Record<string, unknown>[] = [];
const clock = { offset: 0 };
const now = () => new Date(Date.now() + clock.offset);
let one: Enrolment;
let two: Enrolment;
let ipSeq = 0;
const nextIp = () => `203.0.113.${++ipSeq}`;

beforeAll(async () => {
  const hookPort = await freePort();
  webhook = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    received.push(JSON.parse(body) as Record<string, unknown>);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => webhook.listen(hookPort, '127.0.0.1', resolve));
  stack = await startStack({
    now,
    env: { TRUST_PROXY: '1', BREAK_GLASS_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hook` },
  });
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => webhook?.close(resolve));
});

const db = () => stack.db.database.db;
const deps = (): BreakGlassDeps => ({ db: db(), sessionSecret: SESSION_SECRET, now });
const principalRow = async (name: string) =>
  (await db().select().from(breakGlassPrincipals).where(eq(breakGlassPrincipals.name, name)))[0];
const sessionOfUse = async (useId: string) =>
  (await db().select().from(sessions).where(eq(sessions.breakGlassUseId, useId)))[0];
const lastFailure = async () => (await auditOf('break_glass.sign_in.failed')).at(-1)?.details;
const auditOf = (action: string) =>
  db().select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(auditEvents.seq);

/** The next TOTP code: the clock moves on one 30-second step first, since a used step is refused. */
function nextCode(p: Enrolment): string {
  clock.offset += 30_000;
  return (OTPAuth.URI.parse(p.otpauthUri) as OTPAuth.TOTP).generate({ timestamp: now().getTime() });
}

/** A six-digit code that matches none of the steps the server accepts now (current ±1). */
function wrongCode(p: Enrolment): string {
  const totp = OTPAuth.URI.parse(p.otpauthUri) as OTPAuth.TOTP;
  const valid = [-30_000, 0, 30_000, 60_000].map((d) => totp.generate({ timestamp: now().getTime() + d }));
  return ['000000', '111111', '222222', '333333', '444444'].find((c) => !valid.includes(c)) ?? '555555';
}

async function attempt(
  form: Record<string, string>,
  options: { ip?: string; jar?: CookieJar; headers?: Record<string, string> } = {},
) {
  const jar = options.jar ?? stack.newJar();
  const response = await request(jar, `${stack.baseUrl}/auth/break-glass`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': options.ip ?? nextIp(),
      ...options.headers,
    },
    body: new URLSearchParams(form).toString(),
  });
  return { response, jar, text: await response.text() };
}

const ADMIN = '/api/v1/admin/break-glass';
const reviewOf = (id: string) => `${ADMIN}/uses/${id}/close-review`;
const REASON = 'Okta outage: restoring access for the incident';
const form = (p: Enrolment, overrides: Record<string, string> = {}) => ({
  name: p.name,
  secret: p.secret,
  code: nextCode(p),
  reason: REASON,
  ...overrides,
});

async function breakGlassSession(jar: CookieJar) {
  const session = new Session(jar, stack.baseUrl);
  session.csrf = (await session.json<{ csrfToken: string }>('/api/v1/me')).csrfToken;
  return session;
}

/** Audit events of requests are written after the response: wait for them (up to a second). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 50; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return read();
}

describe('break-glass', () => {
  it('enrols at most two principals, each with a hashed secret and an encrypted TOTP secret', async () => {
    one = await enrollPrincipal(deps(), systemContext('test'), 'ops-one');
    two = await enrollPrincipal(deps(), systemContext('test'), 'ops-two');
    expect(one.secret).toMatch(/^bg_[A-Za-z0-9_-]{43}$/);
    expect(one.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*algorithm=SHA1&digits=6&period=30/);
    await expect(enrollPrincipal(deps(), systemContext('test'), 'ops-three')).rejects.toThrow(ConflictError);
    const row = await principalRow('ops-one');
    expect(row?.secretHash).toMatch(/^scrypt\$/);
    expect(row?.secretHash).not.toContain(one.secret);
    expect(row?.totpSecret).toMatch(/^v1\./);
    expect((await auditOf('break_glass.enrolled')).map((e) => e.actorBreakGlass)).toEqual([true, true]);
  });

  it('serves the sign-in form and refuses cross-site posts', async () => {
    const page = await fetch(`${stack.baseUrl}/auth/break-glass`);
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('name="code"')]);
    const cross = await attempt(form(one), { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(cross.response.status).toBe(403);
    expect((await attempt({ name: 'ops-one' })).response.status).toBe(400);
  });

  it('refuses an unknown principal, a wrong secret and a wrong code, and audits each', async () => {
    expect((await attempt(form(one, { name: 'nobody' }))).response.status).toBe(401);
    expect((await attempt(form(one, { secret: 'wrong' }))).response.status).toBe(401);
    const badCode = await attempt(form(one, { code: wrongCode(one) }));
    expect(badCode.response.status).toBe(401);
    expect(badCode.text).toContain('not right');
    const failed = await auditOf('break_glass.sign_in.failed');
    expect(failed.map((e) => (e.details as { reason: string }).reason)).toEqual([
      'unknown_principal',
      'bad_secret',
      'bad_code',
    ]);
    expect(failed.every((e) => e.actorBreakGlass && e.outcome === 'failure')).toBe(true);
    const row = await principalRow('ops-one');
    expect(row?.failedAttempts).toBe(2);
  });

  it('is refused while the IdP is healthy: a request for approval is recorded instead, and the code cannot be replayed', async () => {
    const values = form(one);
    const refused = await attempt(values);
    expect(refused.response.status).toBe(403);
    expect(refused.text).toContain('second admin must approve');
    expect(refused.response.headers.get('set-cookie') ?? '').not.toContain('bi_session');
    const [approval] = await db().select().from(breakGlassApprovals);
    expect(approval).toMatchObject({ status: 'pending', reason: REASON });
    const requested = await auditOf('break_glass.approval.requested');
    expect(requested).toHaveLength(1);
    expect(requested[0]?.details).toEqual({ principal: 'ops-one', reason: REASON });
    expect(await lastFailure()).toMatchObject({ reason: 'idp_healthy' });

    const replayed = await attempt(values);
    expect(replayed.response.status).toBe(401);
    expect(replayed.text).toContain('already used');
    expect(await lastFailure()).toMatchObject({ reason: 'code_replayed' });
    // the credentials were right: the failure count started again
    const row = await principalRow('ops-one');
    expect(row?.failedAttempts).toBe(1);
  });

  let useId = '';
  let bgJar: CookieJar;
  let lastJar: CookieJar;
  let lastUseId = '';

  it('opens after a second admin approves: a 60-minute admin session, alerted, with an open review', async () => {
    const priya = await stack.signIn('Priya', { auth: 'mfa' });
    type Status = { approvals: { id: string; status: string; principal: string }[]; gate: { open: boolean } };
    const status = await priya.json<Status>(ADMIN);
    expect(status.gate.open).toBe(false);
    const pending = status.approvals.find((a) => a.principal === 'ops-one' && a.status === 'pending');
    const approved = await priya.post(`${ADMIN}/approvals/${pending?.id}/approve`, {});
    expect(await approved.json()).toMatchObject({ status: 'approved' });
    expect(await auditOf('break_glass.approval.decided')).toHaveLength(1);

    const uses = () => snapshot().find((m) => m.name === 'bi_break_glass_uses_total')?.samples ?? [];
    const approvedUses = () => uses().find((x) => x.labels.mode === 'approved')?.value ?? 0;
    const before = approvedUses();
    const opened = await attempt(form(one));
    expect([opened.response.status, opened.response.headers.get('location')]).toEqual([303, '/admin/']);
    bgJar = opened.jar;

    const [use] = await db().select().from(breakGlassUses);
    expect(use).toMatchObject({ mode: 'approved', approvalId: pending?.id, reviewStatus: 'open' });
    useId = use?.id ?? '';
    expect((use?.endsAt.getTime() ?? 0) - (use?.startedAt.getTime() ?? 0)).toBe(60 * 60_000);
    const session = await sessionOfUse(useId);
    expect(session).toMatchObject({ kind: 'break_glass', role: 'admin', scope: { kind: 'all' } });
    expect(session?.amr).toEqual(['pwd', 'otp']);
    expect(session?.absoluteExpiresAt.getTime()).toBe(use?.endsAt.getTime());
    const approvals = await db().select().from(breakGlassApprovals);
    expect(approvals.find((a) => a.id === pending?.id)?.status).toBe('used');
    const [succeeded] = await auditOf('break_glass.sign_in.succeeded');
    expect(succeeded).toMatchObject({ actorBreakGlass: true, targetId: useId, actorRole: 'admin' });

    // the alert: metric, warn log line, webhook
    expect(approvedUses()).toBe(before + 1);
    const alert = { alert: 'break_glass_used', principal: 'ops-one', mode: 'approved', useId };
    expect(stack.logs.find((l) => l.alert === 'break_glass_used')).toMatchObject(alert);
    await until(async () => received.length, Boolean);
    expect(received[0]).toMatchObject(alert);
  });

  it('marks the session, audits every request in it, and never lets it approve or review itself', async () => {
    const bg = await breakGlassSession(bgJar);
    const me = await bg.json<{ session: { kind: string }; role: string }>('/api/v1/me');
    expect(me).toMatchObject({ role: 'admin', session: { kind: 'break_glass' } });
    expect((await bg.get(ADMIN)).status).toBe(200);
    expect((await bg.get('/api/v1/insights')).status).toBe(200);
    const ownReview = await bg.post(reviewOf(useId), {
      notes: 'Nothing to see here, all fine.',
    });
    expect(ownReview.status).toBe(403);

    // a second sign-in of the same principal while its session is open is refused
    const again = await attempt(form(one));
    expect(again.response.status).toBe(409);
    expect(await lastFailure()).toMatchObject({ reason: 'already_active' });

    const requests = await until(
      () => auditOf('break_glass.request'),
      (rows) => rows.length >= 5,
    );
    const seen = requests.map((r) => {
      const d = r.details as { method: string; route: string; status: number };
      return `${d.method} ${d.route} ${d.status}`;
    });
    expect(seen.sort()).toEqual([
      'GET /api/v1/admin/break-glass 200',
      'GET /api/v1/insights 200',
      'GET /api/v1/me 200',
      'GET /api/v1/me 200',
      'POST /api/v1/admin/break-glass/uses/:id/close-review 403',
    ]);
    const flagged = requests.filter(
      (r) => r.actorBreakGlass && (r.details as { useId: string }).useId === useId,
    );
    expect(flagged).toHaveLength(5);

    // Emergency access restores service; it does not change whom the app trusts.
    const { items } = await bg.json<{ items: { model: unknown }[] }>('/api/v1/claims-model');
    const change = await bg.send('PUT', '/api/v1/claims-model', {
      model: items[0]?.model,
      reason: 'During the outage',
    });
    expect(change.status).toBe(403);
    const ari = await stack.signIn('Ari');
    const request = await ari.post('/api/v1/token-requests', {
      name: 'Export',
      scopes: ['insights:read'],
      expiresInDays: 5,
      justification: 'Weekly export',
    });
    const { id } = (await request.json()) as { id: string };
    expect((await bg.post(`/api/v1/admin/tokens/${id}/approve`, { note: 'OK' })).status).toBe(403);
  });

  it('has its review closed by an SSO admin with notes', async () => {
    const noah = await stack.signIn('Noah', { auth: 'mfa' });
    const open = await noah.json<{ items: { id: string }[] }>(`${ADMIN}/uses?review=open`);
    expect(open.items.map((u) => u.id)).toEqual([useId]);
    const notYet = await noah.post(reviewOf(useId), {
      notes: 'Reviewed while it was still running.',
    });
    expect(notYet.status).toBe(409);
    const bg = await breakGlassSession(bgJar);
    expect((await bg.post('/auth/logout', {})).status).toBe(200);
    const short = await noah.post(reviewOf(useId), { notes: 'ok' });
    expect(short.status).toBe(400);
    const notes = 'Checked every request in the audit log: justified, the Okta outage was real.';
    const closed = await noah.post(reviewOf(useId), { notes });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({
      reviewStatus: 'closed',
      reviewNotes: notes,
      reviewedBy: { name: 'Noah Adeyemi' },
    });
    expect((await noah.post(reviewOf(useId), { notes })).status).toBe(409);
    expect((await noah.json<{ items: unknown[] }>(`${ADMIN}/uses?review=open`)).items).toEqual([]);
    expect(await auditOf('break_glass.review.closed')).toHaveLength(1);
    const viewer = await stack.signIn('Victor');
    expect((await viewer.get(ADMIN)).status).toBe(403);
  });

  it('stays closed after a denial', async () => {
    expect((await attempt(form(two))).response.status).toBe(403);
    const noah = await stack.signIn('Noah', { auth: 'mfa' });
    const [request] = await db()
      .select()
      .from(breakGlassApprovals)
      .where(eq(breakGlassApprovals.status, 'pending'));
    const denied = await noah.post(`${ADMIN}/approvals/${request?.id}/deny`, {});
    expect(denied.status).toBe(200);
    expect(await denied.json()).toMatchObject({ status: 'denied', principal: 'ops-two' });
    expect((await noah.post(`${ADMIN}/approvals/${request?.id}/approve`, {})).status).toBe(409);
    expect((await attempt(form(two))).response.status).toBe(403);
  });

  it('locks a principal after five failures: 429 with Retry-After, even with the right secret', async () => {
    const ip = nextIp();
    for (let i = 0; i < 4; i += 1) {
      expect((await attempt(form(two, { secret: 'wrong' }), { ip })).response.status).toBe(401);
    }
    const fifth = await attempt(form(two, { secret: 'wrong' }), { ip });
    expect(fifth.response.status).toBe(429);
    expect(fifth.response.headers.get('retry-after')).toBe('900');
    const locked = await attempt(form(two), { ip });
    expect(locked.response.status).toBe(429);
    expect(Number(locked.response.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await lastFailure()).toMatchObject({ reason: 'locked' });
    clock.offset += 15 * 60_000;
    // unlocked again: the right factors reach the gate (the IdP is up, so a request is waiting)
    expect((await attempt(form(two), { ip })).response.status).toBe(403);
  });

  it('limits attempts per client address (10 a minute)', async () => {
    const ip = nextIp();
    // Fixed windows: 21 quick attempts put at least 11 into one window, wherever the boundary falls.
    let limited: Response | null = null;
    for (let i = 0; i < 21 && !limited; i += 1) {
      const { response } = await attempt(form(two, { name: `nobody-${i}` }), { ip });
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(401);
    }
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('records a drill without granting access', async () => {
    const principal = await principalRow('ops-two');
    const result = await drillPrincipal(deps(), systemContext('test'), {
      name: 'ops-two',
      secret: two.secret,
      code: nextCode(two),
      idpDownMinutes: 5,
      idpLabel: 'test IdP',
      probe: async () => true,
    });
    expect(result).toMatchObject({ verified: true, verdict: { open: false, reason: 'idp_healthy' } });
    const row = await principalRow('ops-two');
    expect(row?.lastDrillAt?.getTime()).toBe(result.lastDrillAt?.getTime());
    expect(
      await db()
        .select()
        .from(sessions)
        .where(eq(sessions.personId, principal?.personId ?? '')),
    ).toEqual([]);
    expect((await auditOf('break_glass.drilled'))[0]).toMatchObject({
      actorBreakGlass: true,
      details: { name: 'ops-two', verified: true, idpReachable: true },
    });
  });

  it('opens without approval once the IdP has been unreachable for the configured period', async () => {
    await stack.idp.close();
    const early = await attempt(form(two));
    expect(early.response.status).toBe(403);
    expect(await lastFailure()).toMatchObject({ reason: 'no_approval' });

    clock.offset += 5 * 60_000;
    const opened = await attempt(form(two));
    expect(opened.response.status).toBe(303);
    const [use] = await db().select().from(breakGlassUses).where(eq(breakGlassUses.mode, 'idp_unreachable'));
    expect(use).toMatchObject({ approvalId: null, reviewStatus: 'open' });
    lastJar = opened.jar;
    lastUseId = use?.id ?? '';
    const bg = await breakGlassSession(opened.jar);
    const status = await bg.json<{
      idp: { reachable: boolean };
      gate: { open: boolean; mode: string };
      openReviews: number;
    }>('/api/v1/admin/break-glass');
    expect(status).toMatchObject({
      idp: { reachable: false },
      gate: { open: true, mode: 'idp_unreachable' },
      openReviews: 1,
    });
  });

  it('is not extended by activity and ends at 60 minutes', async () => {
    const bg = await breakGlassSession(lastJar);
    const before = await sessionOfUse(lastUseId);
    clock.offset += 20 * 60_000;
    expect((await bg.get('/api/v1/me')).status).toBe(200);
    const after = await sessionOfUse(lastUseId);
    expect(after?.idleExpiresAt.getTime()).toBe(before?.idleExpiresAt.getTime());
    expect(after?.absoluteExpiresAt.getTime()).toBe(before?.absoluteExpiresAt.getTime());
    clock.offset += 41 * 60_000;
    expect((await bg.get('/api/v1/me')).status).toBe(401);
  });
});
