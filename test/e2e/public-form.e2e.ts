import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackForm } from '../../src/contract/api/forms.ts';
import { events } from '../../src/server/db/schema.ts';
import type { TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';

/**
 * A public feedback form end to end: Ari builds and opens a form for an event through the API; someone at the
 * event opens /f/<slug> on a phone without any session, answers by touch and sends it; the thank-you page
 * follows; then Ari, signed in to the admin app, finds the response as an insight by searching its text and
 * filtering by source. No console errors or CSP violations on either side.
 */
let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const stamp = Date.now().toString(36);
const ANSWER = `Loved the vector workshop ${stamp}, wanted more time on index tuning`;
let form: FeedbackForm;

/**
 * A page whose console errors, page errors and CSP violations on our origin go to `problems` once `arm()` was
 * called (before sign-in, the admin app's first API call is a 401 that sends the browser to the IdP: expected).
 */
async function watchedPage(options: Parameters<Browser['newContext']>[0]) {
  let armed = false;
  const context = await browser.newContext(options);
  contexts.push(context);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    const url = message.location().url;
    if (!armed || message.type() !== 'error') return;
    if (url === '' || url.startsWith(stack.baseUrl)) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  return {
    page,
    arm: () => {
      armed = true;
    },
  };
}

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
  const [event] = await stack.db.database.db
    .insert(events)
    .values({
      name: 'DevDay Lisbon',
      eventType: 'regional_dev_day',
      startsOn: '2026-05-12',
      endsOn: '2026-05-12',
    })
    .returning();
  const ari = await stack.signIn('ari.levy@example.com');
  const created = await ari.post('/api/v1/forms', {
    template: 'event_feedback',
    title: 'DevDay Lisbon feedback',
    eventId: event?.id,
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const draft = (await created.json()) as FeedbackForm;
  const opened = await ari.send('PATCH', `/api/v1/forms/${draft.id}`, {
    version: draft.version,
    status: 'open',
  });
  expect(opened.status).toBe(200);
  form = (await opened.json()) as FeedbackForm;
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
});

describe('a public feedback form on a phone', () => {
  it('is answered by touch without signing in, and thanks the sender', async () => {
    const { page: phone, arm } = await watchedPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    arm();
    const response = await phone.goto(form.publicUrl);
    expect(response?.status()).toBe(200);
    expect(await phone.title()).toBe('DevDay Lisbon feedback');
    expect(await phone.getByRole('heading', { level: 1 }).textContent()).toBe('DevDay Lisbon feedback');
    expect(await phone.locator('.event').textContent()).toBe('DevDay Lisbon');
    // Fits the phone's width, and every choice is a comfortable tap target.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const target of await phone.locator('label.opt').all()) {
      expect((await target.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(44);
    }
    // The honeypot is out of sight and out of the tab order.
    const trap = phone.locator('#website');
    expect((await trap.boundingBox())?.x ?? 0).toBeLessThan(0);
    expect(await trap.getAttribute('tabindex')).toBe('-1');

    await phone.getByRole('radio', { name: '4 of 5' }).tap();
    await phone.getByLabel('What worked well for you?').fill(ANSWER);
    await phone.getByRole('checkbox', { name: 'Atlas Vector Search' }).tap();
    await phone.getByLabel('What is your role?').fill('Backend developer');
    await phone.getByRole('checkbox', { name: /^I agree that my answers are stored/ }).tap();
    await phone.getByRole('button', { name: 'Send feedback' }).tap();

    await phone.waitForURL(`${form.publicUrl}/thanks`);
    expect(await phone.getByRole('status').textContent()).toBe('Thank you! Your feedback was received.');
    // Nobody signed in on this phone: the public page set no session.
    expect((await phone.context().cookies()).filter((c) => c.name.includes('session'))).toEqual([]);
  });

  it('reaches the owner as an insight from the public form, found by its text', async () => {
    const { page: admin, arm } = await watchedPage({ viewport: { width: 1280, height: 1000 } });
    await admin.goto(`${stack.baseUrl}/admin/insights`);
    await admin.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    arm();
    await admin.getByRole('button', { name: 'Sign in as Ari Levy' }).click();
    await admin.waitForURL(`${stack.baseUrl}/admin/insights`);
    await admin.getByLabel('Search', { exact: true }).fill(`"${stamp}"`);
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    await admin.waitForURL(/q=/);
    const row = admin.getByTestId('insight-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(ANSWER);

    // Filtered to the public form as source, the insight is still the one listed.
    await admin
      .getByTestId('insight-filters')
      .getByRole('button', { name: /^Source/ })
      .click();
    await admin.getByRole('option', { name: 'Public feedback form', exact: true }).click();
    await admin.waitForURL(/source=form/);
    await expect.poll(() => row.count()).toBe(1);

    await row.first().getByRole('link').first().click();
    const facts = admin.getByTestId('insight-drawer').getByTestId('insight-facts');
    await facts.waitFor();
    const text = (await facts.textContent()) ?? '';
    expect(text).toContain('Positive');
    expect(text).toContain('Atlas Vector Search');
    expect(text).toContain('#form');
    expect(text).toContain('sent through a public feedback form');
    expect(text).toContain('DevDay Lisbon');
    expect(text).toContain('Backend developer');
  });

  it('showed no console errors or CSP violations anywhere', () => {
    expect(problems).toEqual([]);
  });
});
