import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import { eventAssignments } from '../../src/server/db/schema.program.ts';
import { eventSessions, events } from '../../src/server/db/schema.ts';
import type { TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';

/**
 * The form builder in a real browser, as an advocate (Ari): a form from the "Event feedback" template with an
 * added single-choice question, linked to a seeded event and session; its detail page with a QR code that
 * loads; and its public page, opened without signing in, asking the new question. No console errors or CSP
 * violations on our origin anywhere.
 */
let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const DAY = 86_400_000;
const day = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CHOICES = ['Keynote', 'Workshops', 'Hallway track'];
const QUESTION = 'Which part did you enjoy most?';

/** A context whose console errors, page errors and CSP violations (on our origin) land in `problems`. */
async function watchedPage(): Promise<{ page: Page; watch: () => void }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  contexts.push(context);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(
        `CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
      ),
    );
  });
  const page = await context.newPage();
  let watching = false;
  page.on('console', (message) => {
    const url = message.location().url;
    if (!watching || message.type() !== 'error') return;
    if (url === '' || url.startsWith(stack.baseUrl)) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  return { page, watch: () => (watching = true) };
}

/**
 * LeafyGreen form fields get their label ids in an effect after the first render: until then labels resolve
 * to the wrong field. Wait for the page's fields to settle.
 */
async function settled(page: Page) {
  await page.locator('main').first().waitFor();
  await expect
    .poll(() => page.locator('[aria-labelledby*="-undefined"], [id$="-undefined"]').count())
    .toBe(0);
}

describe('feedback form builder in a real browser', () => {
  let ari: Page;
  let formUrl = '';
  let publicUrl = '';

  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack());
    const db = stack.db.database.db;
    const [event] = await db
      .insert(events)
      .values({
        name: 'DevDay Lisbon',
        eventType: 'regional_dev_day',
        startsOn: day(1),
        endsOn: day(2),
        isActive: true,
      })
      .returning();
    const eventId = event?.id ?? '';
    await db.insert(eventSessions).values([
      { eventId, title: 'Opening keynote' },
      { eventId, title: 'Search workshop' },
    ]);
    const session = await stack.signIn('ari.levy@example.com');
    const me = await session.json<Me>('/api/v1/me');
    await db.insert(eventAssignments).values({ eventId, personId: me.person.id, role: 'on_site' });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.close();
  });

  it('builds a form from the Event feedback template with a new single-choice question', async () => {
    const watched = await watchedPage();
    ari = watched.page;
    await ari.goto(`${stack.baseUrl}/admin/forms/new`);
    await ari.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    // From the sign-in on: the first visit's 401 (which sends the browser to sign in) is how it should be.
    watched.watch();
    await ari.getByRole('button', { name: 'Sign in as Ari Levy' }).click();
    await ari.waitForURL(`${stack.baseUrl}/admin/forms/new`);

    await ari.getByRole('button', { name: 'Use the Event feedback template' }).click();
    await settled(ari);
    const title = ari.getByLabel('Title', { exact: true });
    await expect.poll(() => title.inputValue()).toBe('How was the event?');
    await title.fill('DevDay Lisbon feedback');
    expect(await ari.getByLabel('Consent text').inputValue()).not.toBe('');
    const templateQuestions = await ari.getByTestId('question').count();
    expect(templateQuestions).toBeGreaterThan(1);

    // A new question at the end: single choice with three choices (it starts with two empty ones).
    await ari.getByRole('button', { name: 'Add question' }).click();
    const added = ari.getByRole('group', { name: `Question ${templateQuestions + 1}`, exact: true });
    await added.getByLabel('Type').selectOption('single_choice');
    await added.getByLabel('Question text').fill(QUESTION);
    await added.getByRole('button', { name: 'Add choice' }).click();
    for (const [i, choice] of CHOICES.entries()) {
      await added.getByLabel(`Question ${templateQuestions + 1}, choice ${i + 1}`).fill(choice);
    }
    // Moved up one place: the editor keeps what was typed.
    await ari.getByRole('button', { name: `Move question ${templateQuestions + 1} up` }).click();
    const moved = ari.getByRole('group', { name: `Question ${templateQuestions}`, exact: true });
    expect(await moved.getByLabel('Question text').inputValue()).toBe(QUESTION);

    // The event, found by a part of its name, and one of its sessions.
    await ari.getByLabel('Event (optional)').fill('Lisbon');
    await ari.getByRole('button', { name: /DevDay Lisbon/ }).click();
    expect(await ari.getByTestId('form-event').textContent()).toContain('DevDay Lisbon');
    const sessionSelect = ari.getByLabel('Session (optional)');
    await expect.poll(() => sessionSelect.isEnabled()).toBe(true);
    await sessionSelect.selectOption({ label: 'Search workshop' });

    await ari.getByRole('button', { name: 'Create form' }).click();
    await ari.waitForURL(new RegExp(`/admin/forms/${UUID}$`));
    formUrl = ari.url();
    await expect.poll(() => ari.title()).toBe('Forms · Builder Insights');
    expect(await ari.getByRole('heading', { level: 1 }).textContent()).toBe('DevDay Lisbon feedback');
    expect(await ari.locator('main').textContent()).toContain('DevDay Lisbon · Search workshop');
  });

  it('opens the form and shows its QR code, which loads', async () => {
    expect(formUrl).not.toBe('');
    await ari.getByRole('button', { name: 'Open form' }).click();
    await expect.poll(() => ari.getByTestId('form-status').textContent()).toContain('Accepting answers');
    await ari.getByRole('button', { name: 'Close form' }).waitFor();

    const qr = ari.getByTestId('form-qr');
    await expect
      .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    const png = await ari.getByRole('link', { name: 'PNG' }).getAttribute('href');
    const response = await ari.request.get(`${stack.baseUrl}${png}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('image/png');

    publicUrl = (await ari.getByRole('link', { name: /\/f\// }).getAttribute('href')) ?? '';
    expect(publicUrl.startsWith(`${stack.baseUrl}/f/`)).toBe(true);

    // The list shows it, open, with its event and public link.
    await ari.getByRole('link', { name: '← All forms' }).click();
    const row = ari.getByTestId('form-row').filter({ hasText: 'DevDay Lisbon feedback' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Open');
    expect(await row.getByRole('link', { name: publicUrl }).count()).toBe(1);
  });

  it('shows the new question on the public page to someone not signed in', async () => {
    expect(publicUrl).not.toBe('');
    const { page: visitor, watch } = await watchedPage();
    watch();
    const response = await visitor.goto(publicUrl);
    expect(response?.status()).toBe(200);
    expect(await visitor.getByRole('heading', { level: 1 }).textContent()).toBe('DevDay Lisbon feedback');
    const question = visitor.getByRole('group', { name: QUESTION });
    await question.waitFor();
    for (const choice of CHOICES) {
      expect(await question.getByRole('radio', { name: choice }).count()).toBe(1);
    }
  });

  it('had no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
