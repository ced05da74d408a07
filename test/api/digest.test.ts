import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DigestPreview,
  DigestRun,
  DigestRunList,
  DigestSettings,
} from '../../src/contract/api/digest.ts';
import { SLACK_LIMITS } from '../../src/contract/api/digest.ts';
import { digestRuns } from '../../src/server/db/schema.program.ts';
import { auditEvents, events, insights } from '../../src/server/db/schema.ts';
import { runWeeklyDigest } from '../../src/server/modules/digest/digest.job.ts';
import { type FakeProvider, type SeenRequest, startFakeProvider } from '../helpers/fake-provider.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The weekly Slack digest against a local receiver standing in for Slack's incoming webhook. "Now" is Monday
 * 23 Nov 2026 09:00 UTC, so the digest covers Mon 16 – Sun 22 Nov against Mon 9 – Sun 15 Nov.
 */
const SECRET_PATH = '/services/T0DIGEST/B0DIGEST/never-show-this-secret';
let clock = new Date('2026-11-23T09:00:00.000Z');
let stack: TestStack;
let slack: FakeProvider;
let slackAnswer = 200;
let ari: Session; // advocate, AMER (Maya's team)
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let priya: Session; // admin
let victor: Session; // viewer
const ids: Record<string, string> = {};
const responses: string[] = [];
const db = () => stack.db.database.db;

function answer(_request: SeenRequest, response: ServerResponse) {
  response.writeHead(slackAnswer, { 'content-type': 'text/plain' });
  response.end(slackAnswer === 200 ? 'ok' : 'internal_error');
}

type Item = [string, string, string, string, string, string];
// biome-ignore format: one insight per line reads as a table
const ARI: Item[] = [
  ['a1', '2026-11-17T10:00:00Z', 'bug_report', 'negative', 'critical', 'Driver crashes on reconnect after failover'],
  ['a2', '2026-11-18T10:00:00Z', 'pain_point', 'negative', 'high', 'Index builds <block> writes & reads for minutes'],
  ['a3', '2026-11-22T23:59:00Z', 'praise', 'positive', 'low', 'Loves the new Compass schema view'],
  ['a4', '2026-11-18T11:00:00Z', 'pain_point', 'negative', 'high', 'Index builds block writes (said twice)'],
  ['a5', '2026-11-10T10:00:00Z', 'question', 'neutral', 'medium', 'How do I size a search node?'],
  ['a6', '2026-11-23T08:00:00Z', 'question', 'neutral', 'medium', 'This week: not in the digest'],
];
// biome-ignore format: one insight per line reads as a table
const FATIMA: Item[] = [
  ['f1', '2026-11-19T10:00:00Z', 'feature_request', 'negative', 'critical', 'EMEA only: needs private endpoints in Frankfurt'],
  ['f2', '2026-11-20T10:00:00Z', 'use_case', 'positive', 'medium', 'RAG over support tickets'],
  ['f3', '2026-11-12T10:00:00Z', 'use_case', 'positive', 'low', 'IoT pipeline'],
];

async function capture(who: Session, items: Item[], eventId: string | null) {
  const batch = items.map(([key, at, type, sentiment, priority, text]) => {
    ids[key] = randomUUID();
    return { id: ids[key], text, type, sentiment, priority, productAreas: [], eventId, capturedAt: at };
  });
  const response = await who.post('/api/v1/insights/batch', { items: batch });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Every API answer is kept, to check at the end that the webhook URL never appeared in one. */
async function read<T>(who: Session, path: string, expected = 200): Promise<T> {
  const response = await who.get(path);
  const text = await response.text();
  responses.push(text);
  expect(response.status, text).toBe(expected);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  slack = await startFakeProvider(answer);
  stack = await startStack({
    now: () => clock,
    env: { SLACK_DIGEST_WEBHOOK_URL: `${slack.origin}${SECRET_PATH}` },
  });
  [ari, fatima, maya] = (await Promise.all(['Ari', 'Fatima', 'Maya'].map((who) => stack.signIn(who)))) as [
    Session,
    Session,
    Session,
  ];
  victor = await stack.signIn('Victor');
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  const [event] = await db()
    .insert(events)
    .values({
      name: 'DevDay <Austin>',
      eventType: 'regional_dev_day',
      startsOn: '2026-11-17',
      endsOn: '2026-11-18',
    })
    .returning();
  await capture(ari, ARI, event?.id ?? null);
  await capture(fatima, FATIMA, null);
  // a4 repeats a2 and was merged into it: the digest counts it once, like the dashboard.
  await db()
    .update(insights)
    .set({ mergedIntoId: ids.a2 })
    .where(eq(insights.id, ids.a4 as string));
});
afterAll(async () => {
  await stack?.close();
  await slack?.close();
});

const posts = () => slack.seen.filter((r) => r.method === 'POST');

function checkPayload(body: Buffer) {
  const text = body.toString('utf8');
  expect(text).not.toContain('undefined');
  const payload = JSON.parse(text) as { text: string; blocks: Record<string, unknown>[] };
  expect(typeof payload.text).toBe('string');
  expect(payload.blocks.length).toBeGreaterThan(0);
  expect(payload.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  const header = payload.blocks[0] as { type: string; text: { type: string; text: string } };
  expect(header.type).toBe('header');
  expect(header.text.type).toBe('plain_text');
  expect(header.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
  for (const block of payload.blocks) {
    const t = (block.text as { text?: string } | undefined)?.text;
    if (block.type === 'section') expect((t ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  }
  return payload;
}

const dashboardLink = () => `${stack.baseUrl}/admin/?period=week&at=2026-11-16`;

describe('preview', () => {
  it("builds last week's digest in the manager's own scope, within Slack's limits, and posts nothing", async () => {
    const preview = await read<DigestPreview>(maya, '/api/v1/digest/preview');
    expect(preview.period).toMatchObject({
      start: '2026-11-16',
      end: '2026-11-22',
      previousStart: '2026-11-09',
    });
    expect(preview.scopeLabel).not.toBe('Whole organization');
    // Ari's a1, a2, a3 (a4 merged, a6 is this week); the week before: a5. Fatima's EMEA insights are not Maya's.
    expect(preview.stats.insights).toEqual({ current: 3, previous: 1, change: 2 });
    expect(preview.stats.sentiment.find((s) => s.key === 'negative')?.count).toBe(2);
    expect(preview.stats.negative.map((n) => n.id)).toEqual([ids.a1, ids.a2]);
    expect(preview.stats.negative[0]?.url).toBe(`${stack.baseUrl}/admin/insights/${ids.a1}`);
    expect(preview.stats.topEvents).toEqual([expect.objectContaining({ name: 'DevDay <Austin>', count: 3 })]);
    expect(preview.dashboardUrl).toBe(dashboardLink());
    const payload = checkPayload(Buffer.from(JSON.stringify({ text: preview.text, blocks: preview.blocks })));
    const json = JSON.stringify(payload);
    expect(json).toContain(dashboardLink());
    expect(json).toContain(`<${stack.baseUrl}/admin/insights/${ids.a1}|`);
    // User text is escaped for Slack's mrkdwn: it can neither forge a link nor break the layout.
    expect(json).toContain('&lt;block&gt; writes &amp; reads');
    expect(json).toContain('DevDay &lt;Austin&gt;');
    expect(json).not.toContain('Frankfurt');
    expect(posts()).toHaveLength(0);
  });

  it('counts the whole organisation for an admin', async () => {
    const preview = await read<DigestPreview>(priya, '/api/v1/digest/preview');
    expect(preview.scopeLabel).toBe('Whole organization');
    expect(preview.stats.insights).toEqual({ current: 5, previous: 2, change: 1.5 });
    expect(preview.stats.negative.map((n) => n.id)).toEqual([ids.f1, ids.a1, ids.a2]);
    expect(posts()).toHaveLength(0);
  });

  it('refuses advocates and viewers (403) and anonymous callers (401)', async () => {
    for (const who of [ari, victor]) {
      for (const path of ['/api/v1/digest/preview', '/api/v1/digest/runs', '/api/v1/digest/settings'])
        expect((await who.get(path)).status).toBe(403);
      expect((await who.post('/api/v1/digest/send', {})).status).toBe(403);
    }
    expect((await fetch(`${stack.baseUrl}/api/v1/digest/preview`)).status).toBe(401);
    expect(posts()).toHaveLength(0);
  });

  it('says whether a webhook is configured and the schedule, never the URL', async () => {
    const settings = await read<DigestSettings>(maya, '/api/v1/digest/settings');
    expect(settings).toMatchObject({
      configured: true,
      schedule: { day: 'monday', hourUtc: 8 },
      maxAttempts: 3,
    });
  });
});

describe('send now', () => {
  it('posts the manager’s preview once, records the run and audits digest.sent', async () => {
    const response = await maya.post('/api/v1/digest/send', {});
    const text = await response.text();
    responses.push(text);
    expect(response.status, text).toBe(201);
    const run = JSON.parse(text) as DigestRun;
    expect(run).toMatchObject({
      trigger: 'manual',
      status: 'sent',
      httpStatus: 200,
      periodStart: '2026-11-16',
    });
    expect(run.by?.name).toMatch(/Maya/);
    expect(posts()).toHaveLength(1);
    const post = posts()[0] as SeenRequest;
    expect(post.url).toBe(SECRET_PATH);
    const payload = checkPayload(post.body);
    expect(payload.text).toContain('3 insights');
    expect(JSON.stringify(payload)).toContain(dashboardLink());
    expect(JSON.stringify(payload)).not.toContain('Frankfurt');
    const audits = await db().select().from(auditEvents).where(eq(auditEvents.targetId, run.id));
    expect(audits.map((a) => a.action)).toEqual(['digest.sent']);
    expect(audits[0]?.details).toMatchObject({
      trigger: 'manual',
      periodStart: '2026-11-16',
      httpStatus: 200,
    });
    const runs = await read<DigestRunList>(priya, '/api/v1/digest/runs');
    expect(runs.items.map((r) => r.id)).toEqual([run.id]);
  });

  it('answers 502 and records a failed run when Slack refuses it', async () => {
    slackAnswer = 500;
    const response = await priya.post('/api/v1/digest/send', {});
    const text = await response.text();
    responses.push(text);
    expect(response.status, text).toBe(502);
    slackAnswer = 200;
    const runs = (await read<DigestRunList>(priya, '/api/v1/digest/runs')).items;
    const failed = runs.filter((r) => r.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({ trigger: 'manual', httpStatus: 500, error: 'http_status' }),
    ]);
    const runId = failed[0]?.id as string;
    expect(await db().select().from(auditEvents).where(eq(auditEvents.targetId, runId))).toEqual([
      expect.objectContaining({ action: 'digest.failed', outcome: 'failure' }),
    ]);
    slack.seen.length = 0;
  });
});

describe('the weekly-digest job', () => {
  const job = () => runWeeklyDigest(db(), clock, stack.config);
  const scheduled = (periodStart: string) =>
    db()
      .select()
      .from(digestRuns)
      .where(and(eq(digestRuns.trigger, 'schedule'), eq(digestRuns.periodStart, periodStart)));
  const auditsOf = async (runId: string) =>
    (
      await db().select().from(auditEvents).where(eq(auditEvents.targetId, runId)).orderBy(auditEvents.seq)
    ).map((a) => a.action);

  it('waits for the configured hour, then posts the whole organisation once however often it runs', async () => {
    clock = new Date('2026-11-23T07:59:00.000Z');
    expect(await job()).toMatchObject({ skipped: 'not due yet' });
    clock = new Date('2026-11-23T08:00:00.000Z');
    expect(await job()).toEqual({ periodStart: '2026-11-16', status: 'sent', httpStatus: 200, attempt: 1 });
    expect(await job()).toEqual({ skipped: 'already sent', periodStart: '2026-11-16' });
    expect(posts()).toHaveLength(1);
    const payload = checkPayload((posts()[0] as SeenRequest).body);
    expect(payload.text).toContain('5 insights');
    expect(JSON.stringify(payload)).toContain('Whole organization');
    const [run] = await scheduled('2026-11-16');
    expect(run?.status).toBe('sent');
    expect(run?.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await auditsOf(run?.id as string)).toEqual(['digest.sent']);
  });

  it('posts once when two runs race for the same week', async () => {
    slack.seen.length = 0;
    clock = new Date('2026-11-30T09:00:00.000Z');
    const results = await Promise.all([job(), job()]);
    expect(results.filter((r) => 'status' in r && r.status === 'sent')).toHaveLength(1);
    expect(posts()).toHaveLength(1);
    expect(await scheduled('2026-11-23')).toHaveLength(1);
  });

  it('records a refused post as failed, retries it on a later run, and gives up after 3 attempts', async () => {
    slack.seen.length = 0;
    slackAnswer = 500;
    clock = new Date('2026-12-07T09:00:00.000Z');
    expect(await job()).toMatchObject({ status: 'failed', httpStatus: 500, attempt: 1 });
    const [failed] = await scheduled('2026-11-30');
    expect(failed).toMatchObject({ status: 'failed', httpStatus: 500, error: 'http_status' });
    const audit = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, failed?.id as string));
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([['digest.failed', 'failure']]);
    slackAnswer = 200;
    expect(await job()).toMatchObject({ status: 'sent', attempt: 2 });
    expect(await auditsOf(failed?.id as string)).toEqual(['digest.failed', 'digest.sent']);
    expect(posts()).toHaveLength(2);

    slackAnswer = 500;
    clock = new Date('2026-12-14T09:00:00.000Z');
    for (const attempt of [1, 2, 3]) expect(await job()).toMatchObject({ status: 'failed', attempt });
    expect(await job()).toMatchObject({ skipped: 'failed 3 times; left failed' });
    expect(posts()).toHaveLength(5);
    slackAnswer = 200;
  });

  it('never shows the webhook URL in an API answer or a log line', () => {
    const secret = 'never-show-this-secret';
    for (const text of responses) expect(text).not.toContain(secret);
    expect(JSON.stringify(stack.logs)).not.toContain(secret);
    expect(JSON.stringify(stack.logs)).not.toContain(slack.origin);
  });
});

describe('without a webhook', () => {
  let bare: TestStack;
  beforeAll(async () => {
    // The real clock: creating an API token is a step-up action, checked against the sign-in time.
    bare = await startStack();
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('skips the job, answers send with 409, and says it is not configured', async () => {
    expect(
      await runWeeklyDigest(bare.db.database.db, new Date('2026-11-23T09:00:00.000Z'), bare.config),
    ).toEqual({
      skipped: 'no webhook configured',
    });
    const manager = await bare.signIn('Maya');
    const response = await manager.post('/api/v1/digest/send', {});
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain('SLACK_DIGEST_WEBHOOK_URL');
    expect((await manager.json<DigestSettings>('/api/v1/digest/settings')).configured).toBe(false);
    expect(await bare.db.database.db.select().from(digestRuns)).toHaveLength(0);
  });

  it('refuses API tokens', async () => {
    const victor = await bare.signIn('Victor', { auth: 'mfa' });
    const created = await victor.post('/api/v1/tokens', {
      name: 'digest',
      scopes: ['reporting:read'],
      expiresInDays: 1,
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const viaToken = await fetch(`${bare.baseUrl}/api/v1/digest/preview`, { headers: bearer });
    expect([401, 403]).toContain(viaToken.status);
    const sendViaToken = await fetch(`${bare.baseUrl}/api/v1/digest/send`, {
      method: 'POST',
      headers: bearer,
      body: '{}',
    });
    expect([401, 403]).toContain(sendViaToken.status);
  });
});
