import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackForm } from '../../src/contract/api/forms.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { createCredential } from '../../src/server/modules/scim/scim.credentials.ts';
import { RATE } from '../../src/server/plugins/rate-limit.ts';
import { publicFormClient } from '../helpers/public-form.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { publicApi } from './public-api.helpers.ts';

/**
 * Every defensive budget under a bounded loopback load (issue 12 §4): a burst of the budget plus a few,
 * at most IN_FLIGHT at once, lets exactly the budget through (on PostgreSQL too, where the shared store
 * counts across replicas) and refuses the rest with 429, an integer Retry-After within the window and an
 * answer naming the budget; another sender, person, token or credential is unaffected.
 */
const IN_FLIGHT = 8;
/** A hard cap on any one burst: the load stays bounded whatever a budget becomes. */
const BURST_CAP = 200;
const OVER = 4;

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

let stack: TestStack;
let maya: Session; // manager
let victor: Session; // viewer
let ari: Session; // advocate
let priya: Session; // admin
const { pub, sendJson } = publicFormClient(() => stack.baseUrl);
const api = publicApi(() => stack);
let ipSeq = 0;
const nextIp = () => `198.51.100.${++ipSeq}`;

beforeAll(async () => {
  stack = await startStack({ env: { TRUST_PROXY: '1' } });
  [maya, victor, ari] = (await Promise.all(['Maya', 'Victor', 'Ari'].map((who) => stack.signIn(who)))) as [
    Session,
    Session,
    Session,
  ];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
});
afterAll(async () => {
  await stack?.close();
});

/**
 * On PostgreSQL a window is aligned to the clock (windowStart = now − now mod window): a burst that straddles
 * a boundary would start a fresh window halfway. Wait for the next window when fewer than `needMs` remain.
 */
async function awayFromEdge(windowMs: number, needMs = 10_000) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** `total` requests, never more than `inFlight` at once; answers in the order they were sent. */
async function burst(
  total: number,
  send: (i: number) => Promise<Response>,
  inFlight = IN_FLIGHT,
): Promise<Answer[]> {
  expect(total).toBeLessThanOrEqual(BURST_CAP);
  const answers: Answer[] = [];
  let next = 0;
  let open = 0;
  let peak = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      open += 1;
      peak = Math.max(peak, open);
      const response = await send(i);
      answers[i] = { status: response.status, headers: response.headers, body: await response.text() };
      open -= 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
  expect(peak).toBeLessThanOrEqual(inFlight);
  return answers;
}

/**
 * Exactly `budget` answers got through (with one of `passed`), the others are 429 with an integer
 * Retry-After of 1..window seconds; returns one refusal.
 */
function expectBudget(answers: Answer[], budget: number, windowMs: number, passed: number[]): Answer {
  const limited = answers.filter((a) => a.status === 429);
  const through = answers.filter((a) => a.status !== 429);
  expect(through.length, `statuses: ${answers.map((a) => a.status).join(',')}`).toBe(budget);
  expect(limited.length).toBe(answers.length - budget);
  for (const a of through) expect(passed).toContain(a.status);
  for (const a of limited) {
    const retryAfter = a.headers.get('retry-after') ?? '';
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(windowMs / 1000);
  }
  return limited[0] as Answer;
}

/** A 429 problem+json naming the budget, its size and when to retry. */
function expectProblem(answer: Answer, budget: RegExp) {
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(answer.body) as { status: number; title: string; detail: string };
  expect(problem).toMatchObject({ status: 429, title: 'Too many requests' });
  expect(problem.detail).toMatch(/retry in \d+ (second|minute)s?/);
  expect(problem.detail).toMatch(budget);
}

const limitOf = (answer: { headers: Headers }) => Number(answer.headers.get('x-ratelimit-limit'));
const remainingOf = (answer: { headers: Headers }) => Number(answer.headers.get('x-ratelimit-remaining'));

describe('sign-in pages, per client address', () => {
  it(`/auth/login lets ${RATE.auth.max} through per IP, then a readable 429 page; another IP signs in`, async () => {
    const ip = nextIp();
    await awayFromEdge(RATE.auth.timeWindow);
    const answers = await burst(RATE.auth.max + OVER, () => pub('/auth/login?returnTo=%2Fadmin%2F', ip));
    const limited = expectBudget(answers, RATE.auth.max, RATE.auth.timeWindow, [302]);
    // A person is looking at it: the same problem as a page, with the budget and when to retry.
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
    expect(limited.body).toMatch(
      /retry in \d+ (second|minute)s? \(the auth budget: 60 requests per minute\)/,
    );
    expect((await pub('/auth/login', nextIp())).status).toBe(302);
  });

  it('break-glass sign-in lets 10 attempts through per IP (refused ones count), then 429', async () => {
    const ip = nextIp();
    await awayFromEdge(60_000);
    const attempt = (from: string) =>
      pub('/auth/break-glass', from, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=nobody&secret=x&code=1&reason=short',
      });
    const answers = await burst(10 + OVER, () => attempt(ip));
    const limited = expectBudget(answers, 10, 60_000, [400]);
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
    expect(limited.body).toMatch(/retry in \d+ (second|minute)s? \(.*budget.*: 10 requests per minute\)/);
    expect((await attempt(nextIp())).status).toBe(400);
  });
});

describe('search, its own budget per person', () => {
  it(`lets ${RATE.search.max} searches through, then 429; listing and other people are unaffected`, async () => {
    await awayFromEdge(RATE.search.timeWindow);
    const answers = await burst(RATE.search.max + OVER, (i) => victor.get(`/api/v1/insights?q=demo${i % 5}`));
    expect(limitOf(answers[0] as Answer)).toBe(RATE.search.max);
    expectProblem(expectBudget(answers, RATE.search.max, RATE.search.timeWindow, [200]), /the search budget/);
    // Listing without q counts on the read budget: untouched by the searches (only itself counted).
    const list = await victor.get('/api/v1/insights?limit=5');
    expect(list.status).toBe(200);
    expect([limitOf(list), remainingOf(list)]).toEqual([RATE.read.max, RATE.read.max - 1]);
    // Another person's searches have their own counter.
    expect((await maya.get('/api/v1/insights?q=demo')).status).toBe(200);
  });

  it('listing does not spend the search budget either (an invalid search is a search)', async () => {
    await awayFromEdge(RATE.read.timeWindow);
    const lists = await burst(20, () => maya.get('/api/v1/insights?limit=1'));
    expect(lists.every((a) => a.status === 200)).toBe(true);
    const search = await maya.get('/api/v1/insights?q=another');
    // maya searched once in the test before: this is her second search in the window, whatever she listed.
    expect([search.status, limitOf(search), remainingOf(search)]).toEqual([
      200,
      RATE.search.max,
      RATE.search.max - 2,
    ]);
    const empty = await maya.get('/api/v1/insights?q=');
    expect([empty.status, remainingOf(empty)]).toEqual([400, RATE.search.max - 3]);
  });
});

describe('exports, their own budget per person', () => {
  it(`lets ${RATE.export.max} exports through, then 429; another person exports`, async () => {
    await awayFromEdge(RATE.export.timeWindow);
    // 2 in flight, not 8: an export holds its snapshot's connection while it records its audit event on a
    // second one, so as many concurrent exports as the pool has connections wait on each other for good
    // (PostgreSQL; the test pool has 5). Reported to the lead; raise this once exports are bounded.
    const answers = await burst(RATE.export.max + OVER, () => maya.get('/api/v1/exports/insights.csv'));
    expect(answers.find((a) => a.status === 200)?.headers.get('content-type')).toMatch(/^text\/csv/);
    expectProblem(expectBudget(answers, RATE.export.max, RATE.export.timeWindow, [200]), /the export budget/);
    expect((await priya.get('/api/v1/exports/insights.csv')).status).toBe(200);
  });

  it('every file route counts on the export budget', async () => {
    const files = [
      '/api/v1/reports/executive.csv',
      '/api/v1/reports/executive.pdf',
      '/api/v1/audit/export',
      '/api/v1/access-reviews/00000000-0000-4000-8000-000000000000/report.csv',
    ];
    for (const path of files) {
      const response = await priya.get(path);
      await response.arrayBuffer();
      expect([path, limitOf(response)]).toEqual([path, RATE.export.max]);
    }
  });
});

describe('public form responses, per sender', () => {
  it(`lets ${RATE.publicForm.max} sends through per IP in 10 minutes (refused ones count), then 429`, async () => {
    const created = await ari.post('/api/v1/forms', { template: 'blank', title: 'Rate-limit burst' });
    expect(created.status).toBe(201);
    const form = (await created.json()) as FeedbackForm;
    const opened = await ari.send('PATCH', `/api/v1/forms/${form.id}`, {
      version: form.version,
      status: 'open',
    });
    expect(opened.status).toBe(200);
    const ip = nextIp();
    await awayFromEdge(RATE.publicForm.timeWindow);
    const answers = await burst(RATE.publicForm.max + OVER, () =>
      sendJson(form.slug, { answers: {}, consent: true }, ip),
    );
    const limited = expectBudget(answers, RATE.publicForm.max, RATE.publicForm.timeWindow, [400]);
    expectProblem(limited, /the publicForm budget: 30 requests per 10 minutes/);
    const valid = { answers: { feedback: 'Loved it' }, consent: true };
    expect((await sendJson(form.slug, valid, nextIp())).status).toBe(201);
  });
});

describe('SCIM, per credential', () => {
  it('requests without a valid credential: 60 per IP, then a SCIM 429; a credential is unaffected', async () => {
    const ip = nextIp();
    await awayFromEdge(60_000);
    const answers = await burst(60 + OVER, () =>
      pub('/scim/v2/ServiceProviderConfig', ip, { headers: { authorization: 'Bearer not-a-credential' } }),
    );
    const limited = expectBudget(answers, 60, 60_000, [401]);
    expect(limited.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(JSON.parse(limited.body)).toMatchObject({
      status: '429',
      detail: expect.stringMatching(/scim budget/),
    });
    const { token } = await createCredential(api.db(), systemContext('test'), 'okta', new Date());
    const ok = await pub('/scim/v2/ServiceProviderConfig', ip, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([ok.status, limitOf(ok)]).toEqual([200, 1200]);
  });
});

describe('API tokens, their own budget', () => {
  it('a token with a budget of 10 gets exactly 10 searches, then 429; other tokens and the session go on', async () => {
    const small = await api.createToken(ari, ['insights:read'], { rateLimitPerMinute: 10 });
    const other = await api.createToken(ari, ['insights:read']);
    await awayFromEdge(60_000);
    const answers = await burst(10 + OVER, (i) => api.bearer(small.token, `/api/v1/insights?q=token${i}`));
    expect(limitOf(answers[0] as Answer)).toBe(10);
    expectProblem(
      expectBudget(answers, 10, 60_000, [200]),
      /the search budget for this API token: 10 requests/,
    );
    // Its list calls are another counter with the same own budget.
    const list = await api.bearer(small.token, '/api/v1/insights');
    expect([list.status, limitOf(list), remainingOf(list)]).toEqual([200, 10, 9]);
    const fine = await api.bearer(other.token, '/api/v1/insights?q=token');
    expect([fine.status, limitOf(fine)]).toEqual([200, RATE.search.max]);
    expect((await ari.get('/api/v1/insights?q=token')).status).toBe(200);
  });
});

describe('a lowered scale (RATE_LIMIT_SCALE, tests only)', () => {
  let scaled: TestStack;
  beforeAll(async () => {
    scaled = await startStack({ env: { TRUST_PROXY: '1', RATE_LIMIT_SCALE: '0.05' } });
  });
  afterAll(async () => {
    await scaled?.close();
  });

  it('a SCIM credential gets its higher budget (1200 × 0.05 = 60), then 429; another credential goes on', async () => {
    const ctx = systemContext('test');
    const [one, two] = [
      await createCredential(scaled.db.database.db, ctx, 'okta', new Date()),
      await createCredential(scaled.db.database.db, ctx, 'okta-two', new Date()),
    ];
    const get = (token: string) =>
      fetch(`${scaled.baseUrl}/scim/v2/ServiceProviderConfig`, {
        headers: { authorization: `Bearer ${token}` },
      });
    await awayFromEdge(60_000);
    const answers = await burst(60 + OVER, () => get(one.token));
    expect(limitOf(answers[0] as Answer)).toBe(60);
    const limited = expectBudget(answers, 60, 60_000, [200]);
    expect(JSON.parse(limited.body)).toMatchObject({ status: '429' });
    // Without a credential the budget is 60 × 0.05 = 3 per IP.
    const anonymous = await fetch(`${scaled.baseUrl}/scim/v2/ServiceProviderConfig`);
    expect([anonymous.status, limitOf(anonymous)]).toEqual([401, 3]);
    const fine = await get(two.token);
    expect([fine.status, limitOf(fine)]).toEqual([200, 60]);
  });
});
