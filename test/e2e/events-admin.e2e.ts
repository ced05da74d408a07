import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../src/contract/api/events.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { TAXONOMY_VERSION } from '../../src/contract/taxonomy.ts';
import { eventSessions, insights } from '../../src/server/db/schema.ts';
import type { Session, TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';

/**
 * The Events pages in a real browser. A manager (Maya) creates an event with two assigned advocates, adds a
 * session with its audience size and notes, and puts the event in the capture picker; once one advocate has
 * captured an insight there, the detail shows the coverage (the other advocate highlighted with none), the
 * session and the insight. A stale edit gets the "changed by someone else" banner with the input kept. An
 * advocate (Ari) sees the event without any edit controls. No console errors or CSP violations anywhere.
 */
let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
/** While set, the browser's own log line for this HTTP status is expected (a conflict the UI handles). */
let expectedStatus: number | null = null;

const stamp = Date.now().toString(36);
const EVENT_NAME = `E2E DevDay Berlin ${stamp}`;
const INSIGHT_TEXT = `E2E ${stamp}: the team wants vector search in the EU region`;
let maya: Page;
let mayaApi: Session;
let ariId: string;
let eventId: string;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
  const ari = await stack.signIn('ari.levy@example.com');
  ariId = (await ari.json<Me>('/api/v1/me')).person.id;
  mayaApi = await stack.signIn('maya.patel@example.com');
  // People exist once the org source (or a first sign-in) has brought them in.
  await stack.signIn('ben.carter@example.com');
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
});

/** A browser for one person, signed in at `path`; problems are collected from the sign-in on. */
async function openAs(name: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  const page = await context.newPage();
  let signedIn = false;
  page.on('console', (message) => {
    const url = message.location().url;
    if (expectedStatus !== null && message.text().includes(`status of ${expectedStatus}`)) return;
    if (signedIn && message.type() === 'error' && (url === '' || url.startsWith(stack.baseUrl)))
      problems.push(`${name} ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${name} ${page.url()}: ${error.message}`));
  await page.goto(`${stack.baseUrl}${path}`);
  await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
  signedIn = true;
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL((url) => url.pathname === path);
  await page.locator('main').first().waitFor();
  return page;
}

/** Search a person by name in a people finder and pick them. */
async function pick(page: Page, finder: string, query: string, name: string) {
  await page.getByLabel(finder, { exact: true }).fill(query);
  await page
    .getByRole('list', { name: `${finder}: matching people` })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click();
}

const detail = (page: Page) => page.getByTestId('event-detail');

describe('the Events pages in a real browser', () => {
  it('a manager creates an event with two assigned advocates; bad input is named next to its field', async () => {
    maya = await openAs('Maya Patel', '/admin/events');
    await expect.poll(() => maya.getByRole('link', { name: 'Import from spreadsheet' }).count()).toBe(1);
    await maya.getByRole('link', { name: 'New event' }).click();
    await maya.waitForURL(`${stack.baseUrl}/admin/events/new`);
    const form = maya.getByTestId('event-form');

    await form.getByLabel('Name', { exact: true }).fill(EVENT_NAME);
    await form.getByLabel('Event type').selectOption('regional_dev_day');
    await form.getByLabel('Starts on').fill('2026-03-12');
    await form.getByLabel('Ends on').fill('2026-03-11');
    await form.getByLabel('Quarter').fill('Q4 FY26');
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByLabel('Region').selectOption('EMEA');
    await form.getByLabel('Location').fill('Berlin, Kosmos');
    await form.getByLabel('Latitude').fill('52.5200');
    await form.getByLabel('Longitude').fill('13.4050');
    await form.getByLabel('Account', { exact: true }).fill('Acme GmbH');
    await form.getByLabel('Slack channel').fill('#devday-berlin');
    await form.getByLabel('Tech stack', { exact: true }).fill('Kafka');
    await form.getByLabel('Tech stack', { exact: true }).press('Enter');
    await form.getByLabel('Tech stack', { exact: true }).fill('Spring Boot');
    await form.getByLabel('Tech stack', { exact: true }).press('Enter');
    await expect.poll(() => form.getByTestId('tech-stack').textContent()).toContain('Spring Boot');
    await pick(maya, 'Assign an advocate', 'Ari', 'Ari Levy');
    await pick(maya, 'Assign an advocate', 'Ben', 'Ben Carter');
    await form.getByLabel('Role of Ben Carter').selectOption('remote');
    expect(await form.getByTestId('assignment').count()).toBe(2);
    // The owner defaults to the creator.
    expect(await form.getByTestId('owner-field').textContent()).toContain('Maya Patel');

    // Ends before it starts: the message sits next to the end date, and nothing is sent.
    await form.getByRole('button', { name: 'Create event' }).click();
    const endsOn = form.getByLabel('Ends on');
    await expect.poll(() => endsOn.getAttribute('aria-invalid')).toBe('true');
    const note = await endsOn.getAttribute('aria-describedby');
    expect(await maya.locator(`[id="${note}"]`).textContent()).toBe('must be on or after startsOn');
    expect(maya.url()).toBe(`${stack.baseUrl}/admin/events/new`);

    await endsOn.fill('2026-03-13');
    await form.getByRole('button', { name: 'Create event' }).click();
    await maya.waitForURL(/\/admin\/events\/[0-9a-f-]{36}$/);
    eventId = maya.url().split('/').pop() ?? '';
    await expect.poll(() => detail(maya).getByRole('heading', { level: 1 }).textContent()).toBe(EVENT_NAME);

    const people = await maya.getByTestId('facts-people').textContent();
    expect(people).toContain('Maya Patel');
    expect(people).toMatch(/Advocates on-site.*Ari Levy/);
    expect(people).toMatch(/Advocates remote.*Ben Carter/);
    expect(await maya.getByTestId('facts-where').textContent()).toContain('Europe/Berlin');
    expect(await maya.getByTestId('map-link').getAttribute('href')).toBe(
      'https://www.openstreetmap.org/?mlat=52.52000&mlon=13.40500#map=15/52.52000/13.40500',
    );
    expect(await maya.getByTestId('facts-stack').textContent()).toContain('Kafka');
    // Nobody has captured anything yet: both assigned advocates are highlighted.
    expect(await maya.getByTestId('no-insights').count()).toBe(2);
  });

  it('adds a session with audience size and notes, and puts the event in the capture picker', async () => {
    await maya.getByRole('button', { name: 'Add session' }).click();
    const form = maya.getByTestId('session-form');
    await form.getByLabel('Title').fill('Vector search workshop');
    await form.getByLabel('Speaker').fill('Hannah Schmidt');
    await form.getByLabel('Room').fill('Hall B');
    await form.getByLabel('Starts').fill('2026-03-12T09:30');
    await form.getByLabel('Ends').fill('2026-03-12T11:00');
    await form.getByLabel('Audience size').fill('120');
    await form.getByLabel('Common questions').fill('How do we size the index?');
    await form.getByLabel('Engagement notes').fill('Packed room, many follow-up questions');
    await form.getByRole('button', { name: 'Add session' }).click();

    const session = maya.getByTestId('session');
    await expect.poll(() => session.count()).toBe(1);
    const card = (await session.textContent()) ?? '';
    expect(card).toContain('Vector search workshop');
    expect(card).toContain('Audience: 120');
    expect(card).toContain('Packed room, many follow-up questions');
    // Typed as Berlin wall-clock time, stored as the instant (09:30 CET is 08:30 UTC).
    const stored = await mayaApi.json<EventDetail>(`/api/v1/events/${eventId}`);
    expect(stored.sessions[0]?.startsAt).toMatch(/^2026-03-12T08:30:00(\.000)?Z$/);
    expect(stored.sessions[0]?.audienceSize).toBe(120);

    expect(await maya.getByTestId('event-active').textContent()).toBe('Not in picker');
    await maya.getByRole('switch', { name: 'Active in capture picker' }).check();
    await expect.poll(() => maya.getByTestId('event-active').textContent()).toBe('Active');
    // The badge may show the new position before the PATCH answers; the stored value settles it.
    await expect
      .poll(async () => (await mayaApi.json<EventDetail>(`/api/v1/events/${eventId}`)).isActive)
      .toBe(true);
  });

  it('shows coverage once an assigned advocate has captured at the event', async () => {
    const database = stack.db.database.db;
    const [session] = await database.select().from(eventSessions).where(eq(eventSessions.eventId, eventId));
    await database.insert(insights).values({
      id: randomUUID(),
      authorId: ariId,
      text: INSIGHT_TEXT,
      type: 'feature_request',
      sentiment: 'neutral',
      priority: 'high',
      eventId,
      sessionId: session?.id ?? null,
      source: 'capture',
      taxonomyVersion: TAXONOMY_VERSION,
      capturedAt: new Date(),
    });
    await maya.reload();
    await expect
      .poll(() => maya.getByTestId('coverage-summary').textContent())
      .toContain('1 insight captured');
    const rows = maya.getByTestId('coverage-row');
    expect(await rows.filter({ hasText: 'Ari Levy' }).textContent()).toMatch(/1$/);
    expect(await rows.filter({ hasText: 'Ben Carter' }).getByTestId('no-insights').count()).toBe(1);
    expect(await maya.getByTestId('latest-insight').textContent()).toContain(INSIGHT_TEXT.slice(0, 40));
    expect(await maya.getByTestId('session').textContent()).toContain('1 insight in this session');
    expect(await maya.getByRole('link', { name: 'See all' }).getAttribute('href')).toBe(
      `/admin/insights?eventId=${eventId}`,
    );
  });

  it('lists the event with its counts, as a table or as cards (the choice kept in the URL)', async () => {
    await maya.getByRole('link', { name: '← All events' }).click();
    await maya.waitForURL(`${stack.baseUrl}/admin/events`);
    const row = maya.getByTestId('event-row').filter({ hasText: EVENT_NAME });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Active');
    await maya.getByRole('button', { name: 'Cards' }).click();
    await maya.waitForURL(`${stack.baseUrl}/admin/events?view=cards`);
    const card = maya.getByTestId('event-card').filter({ hasText: EVENT_NAME });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByTestId('event-counts').textContent()).toBe('1 session2 assigned1 insight');
  });

  it('a stale edit says someone else changed the event and keeps what was typed', async () => {
    await maya.goto(`${stack.baseUrl}/admin/events/${eventId}/edit`);
    const form = maya.getByTestId('event-form');
    await form.getByLabel('Location').fill('Berlin, Kosmos Hall 2');
    // Meanwhile someone else saves a change.
    const current = await mayaApi.json<EventDetail>(`/api/v1/events/${eventId}`);
    const other = await mayaApi.send('PATCH', `/api/v1/events/${eventId}`, {
      champion: 'Jonas Weber',
      version: current.version,
    });
    expect(other.status).toBe(200);

    expectedStatus = 409;
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => maya.getByTestId('conflict').count()).toBe(1);
    expectedStatus = null;
    expect(await form.getByLabel('Location').inputValue()).toBe('Berlin, Kosmos Hall 2');

    await maya.getByRole('button', { name: 'Reload latest version' }).click();
    await expect.poll(() => form.getByLabel('Champion').inputValue()).toBe('Jonas Weber');
    expect(await form.getByLabel('Location').inputValue()).toBe('Berlin, Kosmos Hall 2');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await maya.waitForURL(`${stack.baseUrl}/admin/events/${eventId}`);
    const where = maya.getByTestId('facts-where');
    await expect.poll(() => where.textContent()).toContain('Berlin, Kosmos Hall 2');
    expect(await maya.getByTestId('facts-account').textContent()).toContain('Jonas Weber');
  });

  it('an advocate reads the event without any edit controls', async () => {
    const ari = await openAs('Ari Levy', `/admin/events/${eventId}`);
    await expect.poll(() => detail(ari).getByRole('heading', { level: 1 }).textContent()).toBe(EVENT_NAME);
    expect(await ari.getByTestId('session').textContent()).toContain('Vector search workshop');
    expect(await ari.getByTestId('read-only-note').textContent()).toContain('Shown in the capture picker');
    for (const name of ['Edit event']) expect(await ari.getByRole('link', { name }).count()).toBe(0);
    for (const name of ['Delete event', 'Add session', 'Edit', 'Delete'])
      expect(await ari.getByRole('button', { name, exact: true }).count()).toBe(0);
    expect(await ari.getByRole('switch').count()).toBe(0);

    await ari.getByRole('link', { name: '← All events' }).click();
    await expect.poll(() => ari.getByTestId('event-row').filter({ hasText: EVENT_NAME }).count()).toBe(1);
    expect(await ari.getByRole('link', { name: 'New event' }).count()).toBe(0);
    expect(await ari.getByRole('link', { name: 'Import from spreadsheet' }).count()).toBe(0);
  });

  it('had no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
