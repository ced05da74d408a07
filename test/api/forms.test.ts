import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  FeedbackForm,
  FormPage,
  FormResponsePage,
  FormTemplateList,
} from '../../src/contract/api/forms.ts';
import { FORM_TEMPLATES } from '../../src/contract/program.ts';
import { auditEvents, eventSessions, events } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The form builder's API: templates, create (slug, event link), visibility by scope (owner, manager in scope,
 * admin; others 404; viewers 403), optimistic edits, question edits once answered, delete rules, responses and
 * QR codes. The public side is in forms-public.test.ts.
 */
let clock = new Date();
let stack: TestStack;
let ari: Session; // advocate, AMER, manager maya
let ben: Session; // advocate, AMER
let maya: Session; // manager of AMER
let erik: Session; // manager of EMEA
let priya: Session; // admin
let victor: Session; // viewer
const ids: Record<string, string> = {};
const db = () => stack.db.database.db;
const base = '/api/v1/forms';

async function ok<T = FeedbackForm>(response: Response, status = 200): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}
async function problem(response: Response, status: number) {
  expect(response.status, await response.clone().text()).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as { detail?: string; errors?: { field: string; message: string }[] };
}
const fields = async (response: Response, status = 400) =>
  ((await problem(response, status)).errors ?? []).map((e) => e.field);
const patch = (who: Session, id: string, body: unknown) => who.send('PATCH', `${base}/${id}`, body);
const remove = (who: Session, id: string) =>
  who.fetch(`${base}/${id}`, { method: 'DELETE', headers: { 'x-csrf-token': who.csrf } });
const answer = (slug: string, body: unknown) =>
  fetch(`${stack.baseUrl}/api/v1/public/forms/${slug}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const audits = (action: string, targetId: string) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
  const logins = ['ari.levy', 'ben.carter', 'maya.patel', 'erik.lindqvist', 'priya.raman', 'victor.chen'];
  const sessions = await Promise.all(logins.map((l) => stack.signIn(`${l}@example.com`)));
  [ari, ben, maya, erik, priya, victor] = sessions as [Session, Session, Session, Session, Session, Session];
  ids.ari = (await ari.json<{ person: { id: string } }>('/api/v1/me')).person.id;
  const [chicago, berlin] = await db()
    .insert(events)
    .values([
      { name: 'DevDay Chicago', eventType: 'regional_dev_day', startsOn: '2026-03-02', endsOn: '2026-03-02' },
      { name: 'DevDay Berlin', eventType: 'regional_dev_day', startsOn: '2026-04-02', endsOn: '2026-04-02' },
    ])
    .returning();
  const [keynote, workshop] = await db()
    .insert(eventSessions)
    .values([
      { eventId: chicago?.id ?? '', title: 'Keynote' },
      { eventId: berlin?.id ?? '', title: 'Workshop' },
    ])
    .returning();
  Object.assign(ids, {
    chicago: chicago?.id,
    berlin: berlin?.id,
    keynote: keynote?.id,
    workshop: workshop?.id,
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('templates', () => {
  it('lists every template with its questions and the standard consent text; viewers get 403', async () => {
    const list = await ok<FormTemplateList>(await ari.get(`${base}/templates`));
    expect(list.items.map((t) => t.id)).toEqual(FORM_TEMPLATES.map((t) => t.id));
    for (const t of list.items) expect(t.questions.length).toBeGreaterThan(0);
    expect(list.defaultConsentText).toMatch(/IP address is not stored/);
    await problem(await victor.get(`${base}/templates`), 403);
  });
});

describe('creating, seeing and editing a form', () => {
  let form: FeedbackForm;

  it('creates a draft owned by the caller from the template, with a generated slug and its event link', async () => {
    form = await ok(
      await ari.post(base, {
        template: 'event_feedback',
        title: 'DevDay Chicago: how was it?',
        eventId: ids.chicago,
        sessionId: ids.keynote,
      }),
      201,
    );
    expect(form.slug).toMatch(/^devday-chicago-how-was-it-[a-z0-9]{6}$/);
    expect(form.publicUrl).toBe(`${stack.baseUrl}/f/${form.slug}`);
    expect(form).toMatchObject({
      status: 'draft',
      accepting: false,
      closedReason: 'draft',
      owner: { id: ids.ari },
      event: { id: ids.chicago, name: 'DevDay Chicago' },
      session: { id: ids.keynote, title: 'Keynote' },
      responseCount: 0,
      version: 1,
      canManage: true,
    });
    const templates = await ok<FormTemplateList>(await ari.get(`${base}/templates`));
    expect(form.questions).toEqual(templates.items.find((t) => t.id === 'event_feedback')?.questions);
    expect(form.consentText).toBe(templates.defaultConsentText);
    expect((await audits('form.created', form.id))[0]?.details).toEqual({
      slug: form.slug,
      template: 'event_feedback',
      eventId: ids.chicago,
    });
  });

  it('refuses an unknown event, a session of another event, and a taken slug, naming the field', async () => {
    expect(
      await fields(await ari.post(base, { template: 'blank', title: 'x', eventId: crypto.randomUUID() })),
    ).toEqual(['body.eventId']);
    expect(
      await fields(
        await ari.post(base, {
          template: 'blank',
          title: 'x',
          eventId: ids.chicago,
          sessionId: ids.workshop,
        }),
      ),
    ).toEqual(['body.sessionId']);
    expect(
      await fields(await ari.post(base, { template: 'blank', title: 'x', slug: form.slug }), 409),
    ).toEqual(['body.slug']);
    expect(await fields(await ari.post(base, { template: 'blank', title: 'x', slug: 'Not A Slug' }))).toEqual(
      ['body.slug'],
    );
    await problem(await victor.post(base, { template: 'blank', title: 'x' }), 403);
  });

  it('is visible to its owner, the manager in scope and admins; 404 to others; 403 to viewers', async () => {
    for (const who of [ari, maya, priya]) {
      expect((await ok(await who.get(`${base}/${form.id}`))).id).toBe(form.id);
      const page = await ok<FormPage>(await who.get(base));
      expect(page.items.map((f) => f.id)).toContain(form.id);
    }
    for (const who of [erik, ben]) {
      await problem(await who.get(`${base}/${form.id}`), 404);
      expect((await ok<FormPage>(await who.get(base))).items.map((f) => f.id)).not.toContain(form.id);
      await problem(await patch(who, form.id, { version: 1, title: 'hijack' }), 404);
      await problem(await who.get(`${base}/${form.id}/responses`), 404);
      await problem(await who.get(`${base}/${form.id}/qr.png`), 404);
    }
    await problem(await victor.get(`${base}/${form.id}`), 403);
    await problem(await victor.get(base), 403);
  });

  it('edits with optimistic concurrency: a stale version is 409, each change is audited once', async () => {
    clock = new Date(clock.getTime() + 60_000);
    const opened = await ok(await patch(maya, form.id, { version: 1, status: 'open', responseCap: 50 }));
    expect(opened).toMatchObject({
      status: 'open',
      accepting: true,
      closedReason: null,
      version: 2,
      responseCap: 50,
    });
    await problem(await patch(ari, form.id, { version: 1, title: 'Late edit' }), 409);
    const same = await ok(await patch(ari, form.id, { version: 2, status: 'open' }));
    expect(same.version).toBe(2);
    const [event, ...more] = await audits('form.updated', form.id);
    expect(more).toHaveLength(0);
    expect(event?.details).toEqual({
      fromVersion: 1,
      toVersion: 2,
      changed: ['status', 'responseCap'],
      status: 'open',
    });
    form = opened;
  });

  it('moving the form to another event drops the session it no longer belongs to', async () => {
    const moved = await ok(await patch(ari, form.id, { version: form.version, eventId: ids.berlin }));
    expect(moved.event?.id).toBe(ids.berlin);
    expect(moved.session).toBeNull();
    expect(
      await fields(await patch(ari, form.id, { version: moved.version, sessionId: ids.keynote })),
    ).toEqual(['body.sessionId']);
    form = await ok(
      await patch(ari, form.id, { version: moved.version, eventId: ids.chicago, sessionId: ids.keynote }),
    );
    expect(form.session?.id).toBe(ids.keynote);
  });

  it('once answered: questions keep their ids and types, the cap stays above the count, no way back to draft or delete', async () => {
    const sent = await answer(form.slug, { answers: { overall: 4, liked: 'The demos' }, consent: true });
    expect(sent.status, await sent.clone().text()).toBe(201);
    const without = form.questions.filter((q) => q.id !== 'liked');
    const removed = await problem(
      await patch(ari, form.id, { version: form.version, questions: without }),
      409,
    );
    expect(removed.errors).toEqual([
      {
        field: 'body.questions',
        message: expect.stringContaining('question "liked" ("What worked well for you?")'),
      },
    ]);
    const retyped = form.questions.map((q) => (q.id === 'liked' ? { ...q, type: 'short_text' } : q));
    expect(
      await fields(await patch(ari, form.id, { version: form.version, questions: retyped }), 409),
    ).toEqual(['body.questions.1.type']);
    // An unanswered question may go; an answered one may be relabelled.
    const edited = form.questions
      .filter((q) => q.id !== 'improve')
      .map((q) => (q.id === 'liked' ? { ...q, label: 'What did you like?' } : q));
    form = await ok(await patch(ari, form.id, { version: form.version, questions: edited }));
    expect(form.questions.find((q) => q.id === 'liked')?.label).toBe('What did you like?');
    expect(await fields(await patch(ari, form.id, { version: form.version, status: 'draft' }), 409)).toEqual([
      'body.status',
    ]);
    form = await ok(await patch(ari, form.id, { version: form.version, responseCap: 1 }));
    expect(form).toMatchObject({ accepting: false, closedReason: 'cap_reached', responseCount: 1 });
    expect((await problem(await remove(ari, form.id), 409)).detail).toMatch(/close it instead/);
  });

  it('lists responses newest first with the insight each became, page by page', async () => {
    form = await ok(await patch(ari, form.id, { version: form.version, responseCap: null }));
    clock = new Date(clock.getTime() + 1000);
    expect((await answer(form.slug, { answers: { overall: 2 }, consent: true })).status).toBe(201);
    const first = await ok<FormResponsePage>(await maya.get(`${base}/${form.id}/responses?limit=1`));
    expect(first.items).toHaveLength(1);
    expect(first.items[0]?.answers).toEqual({ overall: 2 });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await ok<FormResponsePage>(
      await maya.get(`${base}/${form.id}/responses?limit=1&cursor=${first.nextCursor}`),
    );
    expect(second.items[0]?.answers).toEqual({ overall: 4, liked: 'The demos' });
    expect(second.nextCursor).toBeNull();
    const insight = await ok<{ id: string; source: string }>(
      await ari.get(`/api/v1/insights/${second.items[0]?.insightId}`),
    );
    expect(insight.source).toBe('form');
    expect(await fields(await ari.get(`${base}/${form.id}/responses?cursor=garbage`))).toEqual([
      'query.cursor',
    ]);
    expect(await fields(await patch(ari, form.id, { version: form.version, responseCap: 1 }))).toEqual([
      'body.responseCap',
    ]);
  });

  it('serves QR codes of the public address as PNG and SVG, private to those who see the form', async () => {
    const png = await ari.get(`${base}/${form.id}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('cache-control')).toMatch(/^private/);
    const bytes = Buffer.from(await png.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = await maya.get(`${base}/${form.id}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(svg.headers.get('cache-control')).toMatch(/^private/);
    const text = await svg.text();
    expectWellFormedXml(text);
    expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // The same encoder fed the public address draws the same symbol: the code encodes exactly that URL.
    expect(text).toBe(
      await QRCode.toString(`${stack.baseUrl}/f/${form.slug}`, {
        errorCorrectionLevel: 'M',
        margin: 2,
        type: 'svg',
      }),
    );
    await problem(await victor.get(`${base}/${form.id}/qr.svg`), 403);
  });
});

describe('deleting', () => {
  it('deletes a form nobody answered, audited; then it is gone', async () => {
    const form = await ok(
      await ben.post(base, { template: 'feature_request', title: 'Wishlist', slug: 'wishlist-2026' }),
      201,
    );
    expect(form.slug).toBe('wishlist-2026');
    await problem(await remove(erik, form.id), 404);
    expect((await remove(ben, form.id)).status).toBe(204);
    await problem(await ben.get(`${base}/${form.id}`), 404);
    expect((await audits('form.deleted', form.id))[0]?.details).toEqual({ slug: 'wishlist-2026' });
  });
});

/** Well-formed XML: one root, every tag closed in order, attributes quoted (what an XML parser insists on). */
function expectWellFormedXml(text: string) {
  const stack: string[] = [];
  let roots = 0;
  const body = text.trim().replace(/^<\?xml[^>]*\?>/, '');
  const tags = body.match(/<[^>]+>/g) ?? [];
  expect(body.replace(/<[^>]+>/g, '').trim()).toBe('');
  for (const tag of tags) {
    const name = /^<\/?([A-Za-z][\w:.-]*)/.exec(tag)?.[1];
    expect(name, tag).toBeDefined();
    expect(tag, tag).toMatch(/^<\/?[A-Za-z][\w:.-]*(\s+[\w:.-]+="[^"<]*")*\s*\/?>$/);
    if (tag.startsWith('</')) expect(stack.pop()).toBe(name);
    else if (!tag.endsWith('/>')) {
      if (stack.length === 0) roots += 1;
      stack.push(name ?? '');
    } else if (stack.length === 0) roots += 1;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}
