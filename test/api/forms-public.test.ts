import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackForm, FormQuestion, PublicForm } from '../../src/contract/api/forms.ts';
import { feedbackForms, formResponses } from '../../src/server/db/schema.program.ts';
import { auditEvents, eventSessions, events, insights } from '../../src/server/db/schema.ts';
import { ipHash } from '../../src/server/plugins/rate-limit.ts';
import { publicFormClient } from '../helpers/public-form.ts';
import { SESSION_SECRET, type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The public side of feedback forms, without a session: the page /f/<slug> (HTML form post) and its JSON twin,
 * answers becoming insights, validation, consent, the honeypot, closing date and cap (atomic under concurrent
 * senders), the per-sender rate limit, and what is stored about a sender (a keyed IP hash only).
 * Each test sends from its own address (X-Forwarded-For, one trusted proxy hop) so rate-limit windows stay apart.
 */
let clock = new Date();
let stack: TestStack;
let ari: Session;
const ids: Record<string, string> = {};
const db = () => stack.db.database.db;

const QUESTIONS: FormQuestion[] = [
  { id: 'overall', type: 'rating', label: 'Overall rating', required: true },
  { id: 'kind', type: 'insight_type', label: 'What kind of feedback?', required: false },
  { id: 'areas', type: 'product_area', label: 'Which products?', required: false },
  { id: 'mood', type: 'sentiment', label: 'How do you feel?', required: false },
  { id: 'importance', type: 'priority', label: 'How important?', required: false },
  { id: 'role', type: 'developer_role', label: 'Your role', required: false },
  { id: 'company', type: 'company', label: 'Company', required: false },
  {
    id: 'topic',
    type: 'single_choice',
    label: 'Topic',
    required: false,
    options: ['Search', 'Vectors <AI>'],
  },
  { id: 'extras', type: 'multi_choice', label: 'Liked', required: false, options: ['Docs', 'Demos'] },
  { id: 'comments', type: 'long_text', label: 'Comments', required: false },
];

const { pub, sendJson, sendPage } = publicFormClient(() => stack.baseUrl);
async function fields(response: Response) {
  expect(response.status, await response.clone().text()).toBe(400);
  return ((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
}
async function makeForm(body: Record<string, unknown>, open = true): Promise<FeedbackForm> {
  const created = await ari.post('/api/v1/forms', body);
  expect(created.status, await created.clone().text()).toBe(201);
  const form = (await created.json()) as FeedbackForm;
  if (!open) return form;
  const opened = await ari.send('PATCH', `/api/v1/forms/${form.id}`, {
    version: form.version,
    status: 'open',
  });
  expect(opened.status, await opened.clone().text()).toBe(200);
  return (await opened.json()) as FeedbackForm;
}
async function counts(formId: string) {
  const [form] = await db().select().from(feedbackForms).where(eq(feedbackForms.id, formId));
  const [responses] = await db()
    .select({ n: count() })
    .from(formResponses)
    .where(eq(formResponses.formId, formId));
  const [audited] = await db()
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'form.response_received'), eq(auditEvents.targetId, formId)));
  const [made] = await db()
    .select({ n: count() })
    .from(insights)
    .where(and(eq(insights.source, 'form'), eq(insights.title, form?.title ?? '')));
  return {
    count: form?.responseCount,
    responses: Number(responses?.n),
    audits: Number(audited?.n),
    insights: Number(made?.n),
  };
}

let full: FeedbackForm; // every question type, tied to an event and session
beforeAll(async () => {
  stack = await startStack({ now: () => clock, env: { TRUST_PROXY: '1' } });
  ari = await stack.signIn('ari.levy@example.com');
  ids.ari = (await ari.json<{ person: { id: string } }>('/api/v1/me')).person.id;
  const [event] = await db()
    .insert(events)
    .values({
      name: 'DevDay <Chicago>',
      eventType: 'regional_dev_day',
      startsOn: '2026-03-02',
      endsOn: '2026-03-02',
    })
    .returning();
  const [session] = await db()
    .insert(eventSessions)
    .values({ eventId: event?.id ?? '', title: 'Keynote' })
    .returning();
  Object.assign(ids, { event: event?.id, session: session?.id });
  full = await makeForm(
    {
      template: 'blank',
      title: 'Chicago <DevDay> & "friends"',
      description: 'Tell us <everything>.',
      questions: QUESTIONS,
      eventId: ids.event,
      sessionId: ids.session,
    },
    false,
  );
});
afterAll(async () => {
  await stack?.close();
});

describe('a draft', () => {
  it('does not exist publicly: 404 as JSON and as a page', async () => {
    expect((await pub(`/api/v1/public/forms/${full.slug}`, '198.51.100.1')).status).toBe(404);
    const page = await pub(`/f/${full.slug}`, '198.51.100.1');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Form not found');
    expect(
      (await sendJson(full.slug, { answers: { overall: 4 }, consent: true }, '198.51.100.1')).status,
    ).toBe(404);
    const opened = await ari.send('PATCH', `/api/v1/forms/${full.id}`, { version: 1, status: 'open' });
    expect(opened.status).toBe(200);
  });
});

describe('the public page', () => {
  it('renders every question for a phone, escaped, with consent and a hidden honeypot, and no scripts', async () => {
    const response = await pub(`/f/${full.slug.toUpperCase()}`, '198.51.100.2');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<h1>Chicago &lt;DevDay&gt; &amp; &quot;friends&quot;</h1>');
    expect(html).toContain('DevDay &lt;Chicago&gt;');
    expect(html).toContain('Tell us &lt;everything&gt;.');
    expect(html).not.toMatch(/<DevDay>|<everything>|<Chicago>|<AI>|<script/);
    for (const n of [1, 2, 3, 4, 5])
      expect(html).toContain(`type="radio" name="answers.overall" value="${n}"`);
    expect(html).toContain('type="checkbox" name="answers.areas" value="atlas_vector_search"');
    expect(html).toContain('<span>Atlas Vector Search</span>');
    expect(html).toContain('type="radio" name="answers.kind" value="feature_request"');
    expect(html).toContain('value="Vectors &lt;AI&gt;"');
    expect(html).toContain('type="checkbox" name="answers.extras" value="Demos"');
    expect(html).toMatch(/<textarea id="a-comments" name="answers.comments"/);
    expect(html).toContain(`<form method="post" action="/f/${full.slug}"`);
    expect(html).toContain(`<span>${full.consentText}</span>`);
    expect(html).toMatch(/<input type="checkbox" id="consent" name="consent" value="yes" required>/);
    expect(html).toMatch(
      /<div class="hp" aria-hidden="true">.*<input type="text" id="website" name="website" tabindex="-1" autocomplete="off">/,
    );
  });

  it('has a JSON twin without owner or ids', async () => {
    const response = await pub(`/api/v1/public/forms/${full.slug}`, '198.51.100.2');
    const form = (await response.json()) as PublicForm;
    expect(form).toEqual({
      slug: full.slug,
      title: full.title,
      description: 'Tell us <everything>.',
      consentText: full.consentText,
      eventName: 'DevDay <Chicago>',
      questions: QUESTIONS,
      accepting: true,
      closedReason: null,
    });
  });
});

describe('a response', () => {
  it('becomes an insight of the owner at the event, mapped field by field; only a keyed IP hash is kept', async () => {
    clock = new Date(clock.getTime() + 1000);
    const response = await sendJson(
      full.slug,
      {
        answers: {
          overall: 2,
          kind: 'pain_point',
          areas: ['atlas_search', 'charts', 'atlas_search'],
          mood: 'positive',
          importance: 'high',
          role: '  Data engineer ',
          company: 'Acme',
          topic: 'Vectors <AI>',
          extras: ['Docs', 'Demos'],
          comments: 'Index builds\nare slow',
        },
        consent: true,
      },
      '203.0.113.7',
    );
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toEqual({ received: true });
    const [stored] = await db().select().from(formResponses).where(eq(formResponses.formId, full.id));
    expect(stored?.ipHash).toBe(ipHash(SESSION_SECRET, '203.0.113.7'));
    expect(stored?.answers).toMatchObject({ role: 'Data engineer', areas: ['atlas_search', 'charts'] });
    const [insight] = await db()
      .select()
      .from(insights)
      .where(eq(insights.id, stored?.insightId ?? ''));
    expect(insight).toMatchObject({
      authorId: ids.ari,
      source: 'form',
      title: full.title,
      type: 'pain_point',
      productAreas: ['atlas_search', 'charts'],
      // The sentiment question wins over the rating.
      sentiment: 'positive',
      priority: 'high',
      developer: { role: 'Data engineer', company: 'Acme' },
      tags: ['form'],
      eventId: ids.event,
      sessionId: ids.session,
      capturedAt: clock,
      taxonomyVersion: '2026.1',
    });
    expect(insight?.text).toBe(
      'Overall rating: 2/5\nTopic: Vectors <AI>\nLiked: Docs, Demos\nComments: Index builds\nare slow',
    );
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'form.response_received'), eq(auditEvents.targetId, full.id)));
    expect(audit).toMatchObject({ actorId: null, ip: `hash:${stored?.ipHash}`, userAgent: null });
    expect(audit?.details).toEqual({ responseId: stored?.id, insightId: insight?.id, responseCount: 1 });
    expect(JSON.stringify([stored, audit])).not.toContain('203.0.113.7');
  });

  it('without a sentiment question takes it from the first rating, and the type from the template', async () => {
    const form = await makeForm({ template: 'event_feedback', title: 'Rated only' });
    const sent = await sendJson(
      form.slug,
      { answers: { overall: 2, improve: 'More demos' }, consent: true },
      '203.0.113.8',
    );
    expect(sent.status).toBe(201);
    const [insight] = await db().select().from(insights).where(eq(insights.title, 'Rated only'));
    expect(insight).toMatchObject({
      sentiment: 'negative',
      type: 'other',
      priority: 'medium',
      developer: null,
    });
    expect(insight?.text).toBe(
      'Overall, how would you rate the event?: 2/5\nWhat should we do better?: More demos',
    );
  });

  it('is refused with every invalid answer named, and nothing is written', async () => {
    const before = await counts(full.id);
    const ip = '203.0.113.9';
    expect(
      await fields(
        await sendJson(
          full.slug,
          {
            answers: {
              nope: 'x',
              overall: 7,
              kind: 'not_a_type',
              areas: 'atlas',
              topic: 'Other',
              extras: ['Docs', 'Snacks'],
              role: 'r'.repeat(201),
            },
            consent: true,
          },
          ip,
        ),
      ),
    ).toEqual([
      'body.answers.nope',
      'body.answers.overall',
      'body.answers.kind',
      'body.answers.areas',
      'body.answers.role',
      'body.answers.topic',
      'body.answers.extras',
    ]);
    expect(await fields(await sendJson(full.slug, { answers: { overall: 2.5 }, consent: true }, ip))).toEqual(
      ['body.answers.overall'],
    );
    expect(
      await fields(await sendJson(full.slug, { answers: { comments: 'hi' }, consent: true }, ip)),
    ).toEqual(['body.answers.overall']);
    expect(await fields(await sendJson(full.slug, { answers: { overall: 3 }, consent: false }, ip))).toEqual([
      'body.consent',
    ]);
    expect(await fields(await sendJson(full.slug, { answers: { overall: 3 } }, ip))).toEqual([
      'body.consent',
    ]);
    expect(await counts(full.id)).toEqual(before);
  });

  it('is refused when the answers together exceed the insight text, naming the longest answer', async () => {
    const questions = ['a', 'b', 'c'].map((id) => ({ id, type: 'long_text', label: id.toUpperCase() }));
    const form = await makeForm({ template: 'blank', title: 'Long answers', questions });
    const answers = { a: 'x'.repeat(1500), b: 'y'.repeat(2000), c: 'z'.repeat(1600) };
    const refused = await sendJson(form.slug, { answers, consent: true }, '203.0.113.10');
    expect(await fields(refused.clone())).toEqual(['body.answers.b']);
    expect(await refused.text()).toMatch(/5111 characters; at most 5000/);
    const fits = await sendJson(
      form.slug,
      { answers: { ...answers, c: 'z'.repeat(1400) }, consent: true },
      '203.0.113.10',
    );
    expect(fits.status).toBe(201);
  });
});

describe('the page post', () => {
  it('sends the form like a browser does: 303 to the thank-you page, checkbox groups as lists', async () => {
    const before = await counts(full.id);
    const body = new URLSearchParams([
      ['answers.overall', '5'],
      ['answers.areas', 'atlas'],
      ['answers.areas', 'charts'],
      ['answers.topic', 'Search'],
      ['answers.comments', 'Great keynote'],
      ['answers.role', ''],
      ['consent', 'yes'],
      ['website', ''],
    ]);
    const response = await sendPage(full.slug, body.toString(), '192.0.2.20');
    expect(response.status, await response.clone().text()).toBe(303);
    expect(response.headers.get('location')).toBe(`/f/${full.slug}/thanks`);
    const thanks = await pub(`/f/${full.slug}/thanks`, '192.0.2.20');
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain('Thank you! Your feedback was received.');
    expect((await counts(full.id)).count).toBe((before.count ?? 0) + 1);
    const [last] = await db()
      .select()
      .from(formResponses)
      .where(eq(formResponses.ipHash, ipHash(SESSION_SECRET, '192.0.2.20')));
    expect(last?.answers).toEqual({
      overall: 5,
      areas: ['atlas', 'charts'],
      topic: 'Search',
      comments: 'Great keynote',
    });
  });

  it('shows the form again on a refusal: each message beside its field, the values kept and escaped', async () => {
    const before = await counts(full.id);
    const body = new URLSearchParams([
      ['answers.comments', '<b>kept & "value"</b>'],
      ['answers.extras', 'Demos'],
      ['answers.topic', 'Vectors <AI>'],
    ]);
    const response = await sendPage(full.slug, body.toString(), '192.0.2.21');
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('<div class="summary" role="alert"');
    expect(html).toContain('Please check 2 answers');
    expect(html).toContain('<p class="err" id="e-overall">is required</p>');
    expect(html).toContain('<p class="err" id="e-consent">must be accepted to send the form</p>');
    expect(html).toContain('>&lt;b&gt;kept &amp; &quot;value&quot;&lt;/b&gt;</textarea>');
    expect(html).not.toContain('<b>kept');
    expect(html).toContain('value="Demos" checked');
    expect(html).toContain('value="Vectors &lt;AI&gt;" checked');
    expect(await counts(full.id)).toEqual(before);
  });

  it('answers a missing or draft form with the not-found page', async () => {
    const response = await sendPage('no-such-form', 'consent=yes', '192.0.2.22');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Form not found');
    expect((await pub('/f/no-such-form/thanks', '192.0.2.22')).status).toBe(404);
  });
});
