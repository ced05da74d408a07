import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackForm, PublicForm } from '../../src/contract/api/forms.ts';
import { feedbackForms, formResponses } from '../../src/server/db/schema.program.ts';
import { auditEvents, insights } from '../../src/server/db/schema.ts';
import { RATE } from '../../src/server/plugins/rate-limit.ts';
import { publicFormClient } from '../helpers/public-form.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * What stops a public form taking a response: the honeypot (answered like a success, nothing written), the
 * closing date (against the injected clock), closing it, the response cap — exact under concurrent senders —
 * and the per-sender rate limit. Each test sends from its own addresses (X-Forwarded-For, one trusted hop).
 */
let clock = new Date();
let stack: TestStack;
let ari: Session;
const db = () => stack.db.database.db;

const { pub, sendJson, sendPage } = publicFormClient(() => stack.baseUrl);
const valid = { answers: { feedback: 'Loved it' }, consent: true };

async function makeForm(title: string, settings: Record<string, unknown> = {}): Promise<FeedbackForm> {
  const created = await ari.post('/api/v1/forms', { template: 'blank', title, ...settings });
  expect(created.status, await created.clone().text()).toBe(201);
  const form = (await created.json()) as FeedbackForm;
  const opened = await ari.send('PATCH', `/api/v1/forms/${form.id}`, {
    version: form.version,
    status: 'open',
  });
  expect(opened.status, await opened.clone().text()).toBe(200);
  return (await opened.json()) as FeedbackForm;
}
async function counts(form: FeedbackForm) {
  const [row] = await db().select().from(feedbackForms).where(eq(feedbackForms.id, form.id));
  const n = async (query: Promise<{ n: number }[]>) => Number((await query)[0]?.n);
  return {
    count: row?.responseCount,
    responses: await n(
      db().select({ n: count() }).from(formResponses).where(eq(formResponses.formId, form.id)),
    ),
    insights: await n(
      db()
        .select({ n: count() })
        .from(insights)
        .where(and(eq(insights.source, 'form'), eq(insights.title, form.title))),
    ),
    audits: await n(
      db()
        .select({ n: count() })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'form.response_received'), eq(auditEvents.targetId, form.id))),
    ),
  };
}
const none = { count: 0, responses: 0, insights: 0, audits: 0 };

beforeAll(async () => {
  stack = await startStack({ now: () => clock, env: { TRUST_PROXY: '1' } });
  ari = await stack.signIn('ari.levy@example.com');
});
afterAll(async () => {
  await stack?.close();
});

describe('the honeypot', () => {
  it('is answered exactly like a success, as JSON and as a page post, and nothing is written', async () => {
    const form = await makeForm('Honeypot');
    const json = await sendJson(form.slug, { ...valid, website: 'https://spam.example' }, '192.0.2.1');
    expect(json.status).toBe(201);
    expect(await json.json()).toEqual({ received: true });
    const page = await sendPage(
      form.slug,
      'answers.feedback=Buy+now&consent=yes&website=https%3A%2F%2Fspam.example',
      '192.0.2.1',
    );
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/f/${form.slug}/thanks`);
    expect(await counts(form)).toEqual(none);
    // The same sends without the honeypot do land.
    expect((await sendJson(form.slug, valid, '192.0.2.1')).status).toBe(201);
    expect(await counts(form)).toEqual({ count: 1, responses: 1, insights: 1, audits: 1 });
  });
});

describe('closing', () => {
  it('past its closing date (moving the clock) the form is gone: 410 everywhere, nothing written', async () => {
    const form = await makeForm('Closing date', {
      closesAt: new Date(clock.getTime() + 3_600_000).toISOString(),
    });
    expect((await sendJson(form.slug, valid, '192.0.2.2')).status).toBe(201);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    const json = await sendJson(form.slug, valid, '192.0.2.2');
    expect(json.status).toBe(410);
    expect(((await json.json()) as { detail: string }).detail).toMatch(/closing date/);
    const page = await pub(`/f/${form.slug}`, '192.0.2.2');
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This form is closed');
    const post = await sendPage(form.slug, 'answers.feedback=late&consent=yes', '192.0.2.2');
    expect(post.status).toBe(410);
    const twin = (await (await pub(`/api/v1/public/forms/${form.slug}`, '192.0.2.2')).json()) as PublicForm;
    expect(twin).toMatchObject({ accepting: false, closedReason: 'past_closing_date' });
    expect(await counts(form)).toEqual({ count: 1, responses: 1, insights: 1, audits: 1 });
  });

  it('closed by its owner: 410, and the thank-you page still answers', async () => {
    const form = await makeForm('Closed by owner');
    const closed = await ari.send('PATCH', `/api/v1/forms/${form.id}`, {
      version: form.version,
      status: 'closed',
    });
    expect(closed.status).toBe(200);
    expect((await sendJson(form.slug, valid, '192.0.2.3')).status).toBe(410);
    expect((await pub(`/f/${form.slug}`, '192.0.2.3')).status).toBe(410);
    expect((await pub(`/f/${form.slug}/thanks`, '192.0.2.3')).status).toBe(200);
  });
});

describe('the response cap', () => {
  it('holds under 20 concurrent senders: exactly 5 accepted, 5 insights, 5 responses, count 5', async () => {
    const form = await makeForm('Capped at five', { responseCap: 5 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sendJson(form.slug, { answers: { feedback: `Sender ${i}` }, consent: true }, `198.18.0.${i + 1}`),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 410)).toHaveLength(15);
    expect(await counts(form)).toEqual({ count: 5, responses: 5, insights: 5, audits: 5 });
    const page = await pub(`/f/${form.slug}`, '198.18.0.1');
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('received all the responses it was meant to collect');
  });
});

describe('the rate limit', () => {
  it(`stops one sender after ${RATE.publicForm.max} sends with 429 and Retry-After; other senders go on`, async () => {
    const form = await makeForm('Rate limited');
    const ip = '192.0.2.50';
    for (let i = 0; i < RATE.publicForm.max; i += 1) {
      // Refused sends count too: a script probing the form spends the same budget.
      expect((await sendJson(form.slug, { answers: {}, consent: true }, ip)).status).toBe(400);
    }
    const limited = await sendJson(form.slug, valid, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect((await sendJson(form.slug, valid, '192.0.2.51')).status).toBe(201);
    expect(await counts(form)).toEqual({ count: 1, responses: 1, insights: 1, audits: 1 });
  });
});
