import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import type { ExecutiveReport, ExecutiveSummary } from '../../src/contract/api/reporting.ts';
import { auditEvents } from '../../src/server/db/schema.ts';
import { SUMMARY_SYSTEM_PROMPT } from '../../src/server/modules/summary/summary.prompt.ts';
import { type FakeProvider, type SeenRequest, startFakeProvider } from '../helpers/fake-provider.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The optional LLM summary against a local HTTP server playing an OpenAI-compatible chat completions API:
 * what is sent (and what never is), the answers on success, failure, timeout and no provider, who may ask,
 * and the audit trail.
 */
const NOW = new Date('2026-11-21T12:00:00.000Z');
const API_KEY = 'sk-test-summary-key-0123456789';
const PROVIDER_SECRET_TEXT = 'internal provider stack: quota exceeded for org-123';
const QUERY = { period: 'month', at: '2026-11-15' };

type Mode = { kind: 'ok'; text: string } | { kind: 'fail' } | { kind: 'hang' } | { kind: 'garbage' };

let provider: FakeProvider;
let mode: Mode = { kind: 'ok', text: 'Fine.' };
let configured: TestStack;
let unconfigured: TestStack;
const s: Record<string, Session> = {};
const idOf: Record<string, string> = {};

/** The fake OpenAI-compatible chat completions API: answers as `mode` says. */
function answer(_request: SeenRequest, response: ServerResponse) {
  if (mode.kind === 'hang') return;
  if (mode.kind === 'fail') {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: PROVIDER_SECRET_TEXT } }));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  if (mode.kind === 'garbage') {
    response.end(`{"echo": "${PROVIDER_SECRET_TEXT}"}`);
    return;
  }
  response.end(
    JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: mode.text }, finish_reason: 'stop' }],
    }),
  );
}

async function capture(who: string, at: string, text: string) {
  const response = await (s[who] as Session).post('/api/v1/insights', {
    id: randomUUID(),
    text,
    type: 'pain_point',
    productAreas: ['atlas_vector_search'],
    sentiment: 'negative',
    priority: 'high',
    capturedAt: at,
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  provider = await startFakeProvider(answer);
  configured = await startStack({
    now: () => NOW,
    env: {
      REPORT_SUMMARY_URL: `${provider.origin}/v1/`,
      REPORT_SUMMARY_API_KEY: API_KEY,
      REPORT_SUMMARY_TIMEOUT_MS: '400',
    },
  });
  unconfigured = await startStack({ now: () => NOW });
  for (const [who, email] of [
    ['ari', 'ari.levy'],
    ['ben', 'ben.carter'],
    ['maya', 'maya.patel'],
    ['fatima', 'fatima.zahra'],
    ['gustav', 'gustav.berg'],
    ['victor', 'victor.chen'],
    ['priya', 'priya.raman'],
  ] as const) {
    s[who] = await configured.signIn(`${email}@example.com`);
    idOf[who] = (await (s[who] as Session).json<Me>('/api/v1/me')).person.id;
  }
  // October: everyday feedback. November: a new theme in each team.
  for (let i = 0; i < 5; i++) {
    await capture('ari', `2026-10-1${i}T10:00:00.000Z`, `Schema design review number ${i} went well`);
    await capture('ben', `2026-10-1${i}T11:00:00.000Z`, `Sharding workshop follow-up number ${i}`);
    await capture('fatima', `2026-10-1${i}T12:00:00.000Z`, `Billing dashboard walkthrough number ${i}`);
    await capture('gustav', `2026-10-1${i}T13:00:00.000Z`, `Change streams demo number ${i}`);
  }
  for (let i = 0; i < 3; i++) {
    await capture(
      'ari',
      `2026-11-1${i}T10:00:00.000Z`,
      `Vector search latency doubled after the upgrade (${i})`,
    );
    await capture(
      'ben',
      `2026-11-1${i}T11:00:00.000Z`,
      `Our vector search latency is too high for RAG (${i})`,
    );
    await capture(
      'fatima',
      `2026-11-1${i}T12:00:00.000Z`,
      `Private endpoints for serverless clusters, please (${i})`,
    );
    await capture(
      'gustav',
      `2026-11-1${i}T13:00:00.000Z`,
      `Needs private endpoints before going live (${i})`,
    );
  }
});
afterAll(async () => {
  await provider?.close();
  await configured?.close();
  await unconfigured?.close();
});
beforeEach(() => {
  provider.seen.length = 0;
  mode = { kind: 'ok', text: 'Fine.' };
});

const summarize = (who: string, body: unknown = QUERY) =>
  (s[who] as Session).post('/api/v1/reports/executive/summary', body);

async function lastSummaryEvent(who: string) {
  const [event] = await configured.db.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'report.summary_generated'), eq(auditEvents.actorId, idOf[who] ?? '')))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return event;
}

describe('executive summary', () => {
  it('sends the report’s numbers, theme labels and quotes only, with the fixed prompt, and answers the text', async () => {
    mode = {
      kind: 'ok',
      text: '  Insights rose to 8 in Nov 2026.\n\nVector search latency is the new theme.  ',
    };
    const report = await (s.maya as Session).json<ExecutiveReport>(
      '/api/v1/reports/executive?period=month&at=2026-11-15',
    );
    expect(report.summaryAvailable).toBe(true);
    const response = await summarize('maya');
    expect(response.status, await response.clone().text()).toBe(200);
    const summary = (await response.json()) as ExecutiveSummary;
    expect(summary).toEqual({
      text: 'Insights rose to 8 in Nov 2026.\n\nVector search latency is the new theme.',
      model: 'gpt-4o-mini',
      generatedAt: NOW.toISOString(),
      disclaimer: expect.stringMatching(/numbers of record are in the report/),
    });

    expect(provider.seen).toHaveLength(1);
    const [call] = provider.seen as [SeenRequest];
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/v1/chat/completions');
    expect(call.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const sent = JSON.parse(call.body.toString('utf8')) as {
      model: string;
      messages: { role: string; content: string }[];
    };
    expect(sent.model).toBe('gpt-4o-mini');
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(sent.messages[0]?.content).toBe(SUMMARY_SYSTEM_PROMPT);
    expect(SUMMARY_SYSTEM_PROMPT).toMatch(/At most 200 words/);
    const facts = JSON.parse(sent.messages[1]?.content ?? '{}') as {
      metrics: { metric: string; value: number; previous: number }[];
      themes: { theme: string; insights: number; quotes: string[] }[];
    };
    expect(facts.metrics.map((m) => [m.metric, m.value, m.previous])).toEqual(
      report.cards.map((c) => [c.label, c.value, c.previous]),
    );
    expect(report.themes.length, 'the fixture has a November theme in team amer').toBeGreaterThan(0);
    expect(facts.themes.map((t) => [t.theme, t.insights])).toEqual(
      report.themes.map((t) => [t.label, t.current]),
    );
    expect(facts.themes.flatMap((t) => t.quotes)).toEqual(
      report.themes.flatMap((t) =>
        t.citations.map((c) =>
          c.quote
            .map((q) => q.text)
            .join('')
            .trim(),
        ),
      ),
    );
    // Only Maya's scope, and nobody's identity: no names, ids or events; no other team's words.
    for (const secret of ['Ari Levy', 'Ben Carter', 'Maya Patel', idOf.ari, idOf.maya, 'rivate endpoints'])
      expect(call.body.toString('utf8')).not.toContain(secret);

    expect(await lastSummaryEvent('maya')).toMatchObject({
      outcome: 'success',
      details: {
        provider: new URL(configured.config.reportSummary?.url ?? '').host,
        model: 'gpt-4o-mini',
        period: 'Nov 2026 (2026-11-01 to 2026-11-30)',
        insights: report.cards.find((c) => c.key === 'insights')?.value,
      },
    });
    const logged = JSON.stringify(configured.logs);
    expect(logged).toContain('"outcome":"ok"');
    expect(logged).not.toContain(API_KEY);
    expect(logged).not.toContain('new theme');
  });

  it('cuts an answer longer than 200 words', async () => {
    mode = { kind: 'ok', text: 'word '.repeat(320) };
    const response = await summarize('victor');
    expect(response.status).toBe(200);
    const { text } = (await response.json()) as ExecutiveSummary;
    expect(text.split(' ').filter((w) => w === 'word')).toHaveLength(200);
    expect(text.endsWith('…')).toBe(true);
  });

  it('answers 502 on a provider error, a timeout or an unusable answer, never passing on its words; audited', async () => {
    for (const [kind, error] of [
      ['fail', 'http_status (HTTP 500)'],
      ['hang', 'timeout'],
      ['garbage', 'invalid_response'],
    ] as const) {
      mode = { kind };
      const response = await summarize('priya');
      expect(response.status, kind).toBe(502);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ title: 'Summary provider failed', status: 502 });
      expect(text).not.toContain(PROVIDER_SECRET_TEXT);
      expect(text).not.toContain(API_KEY);
      expect(await lastSummaryEvent('priya')).toMatchObject({
        outcome: 'failure',
        details: { model: 'gpt-4o-mini', error },
      });
    }
    expect(JSON.stringify(configured.logs)).not.toContain(PROVIDER_SECRET_TEXT);
  });

  it('is for viewers, managers and admins: an advocate is refused before anything is sent', async () => {
    const response = await summarize('ari');
    expect(response.status).toBe(403);
    expect(provider.seen).toHaveLength(0);
    expect(await lastSummaryEvent('ari')).toBeUndefined();
    for (const who of ['victor', 'maya', 'priya']) expect((await summarize(who)).status, who).toBe(200);
  });

  it('refuses a bad body naming the field, sending nothing', async () => {
    for (const [body, field] of [
      [{ period: 'last30', from: '2026-11-01' }, 'from'],
      [{ period: 'fortnight' }, 'body.period'],
      [{ ...QUERY, limit: 5 }, 'body.limit'],
      [{ period: 'custom', from: '2026-11-01' }, 'to'],
    ] as const) {
      const response = await summarize('maya', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(
        ((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field),
      ).toContain(field);
    }
    expect(provider.seen).toHaveLength(0);
  });

  it('answers 503 when no provider is configured, and the report says so', async () => {
    const dana = await unconfigured.signIn('dana.okafor@example.com');
    const report = await dana.json<ExecutiveReport>('/api/v1/reports/executive?period=last30');
    expect(report.summaryAvailable).toBe(false);
    const response = await dana.post('/api/v1/reports/executive/summary', QUERY);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ title: 'Summary not configured', status: 503 });
    expect(provider.seen).toHaveLength(0);
  });
});
