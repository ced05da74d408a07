import { crc32, deflateSync } from 'node:zlib';
import { count, inArray, like } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { insightAttachments, insights } from '../../src/server/db/schema.ts';
import type { TestStack } from '../helpers/stack.ts';

/** Shared steps of the capture release gate (capture-release-gate*.e2e.ts): the phone, sign-in, the device. */

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;

/** A fake microphone that needs no permission prompt (the voice capture test). */
export const FAKE_MICROPHONE = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

export interface CaptureApp {
  context: BrowserContext;
  page: Page;
  personId: string;
  /** Console errors, uncaught exceptions and CSP violations seen while a capture page was shown. */
  problems: string[];
  /** Where the server's log stood when the app was opened. */
  logsFrom: number;
}

/**
 * Nothing went wrong that nobody would see: no console error, uncaught exception or CSP violation in the app,
 * and no error the server logged (a 5xx the app may have taken in its stride, like any other failure).
 */
export function expectClean(app: CaptureApp, stack: TestStack): void {
  expect(app.problems).toEqual([]);
  const errors = stack.logs.slice(app.logsFrom).filter((line) => Number(line.level) >= 50);
  expect(errors).toEqual([]);
}

/**
 * Requests the test makes fail on purpose (offline, a 500 injected, a dropped connection, 401 after sign-out)
 * make Chromium log "Failed to load resource" for that URL. Those are expected for the API calls only: a script or
 * style that fails to load is still a problem. One exception without network: the page's icons, which the
 * browser fetches on its own schedule (the first page, before the service worker controls it, may ask for its
 * favicon only after the test went offline).
 */
function expectedNetworkError(text: string, url: string, baseUrl: string): boolean {
  if (!text.startsWith('Failed to load resource')) return false;
  // The API, and the one auth call the app makes itself (POST /auth/logout, signing out while offline).
  if (url.startsWith(`${baseUrl}/api/`) || url === `${baseUrl}/auth/logout`) return true;
  return url.startsWith(`${baseUrl}/capture/icons/`) && text.includes('net::ERR_INTERNET_DISCONNECTED');
}

/** Watch a page for errors while it shows the capture app (the IdP pages are not ours to judge here). */
export function watchProblems(page: Page, baseUrl: string, problems: string[]): void {
  const onCapture = () => page.url().startsWith(`${baseUrl}/capture/`);
  page.on('console', (message) => {
    if (message.type() !== 'error' || !onCapture()) return;
    if (expectedNetworkError(message.text(), message.location().url, baseUrl)) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => {
    if (onCapture()) problems.push(`uncaught: ${error.message}`);
  });
}

/** At the dev IdP's picker, choose the person (the app sends every signed-out visit there). */
export async function pickPerson(page: Page, stack: TestStack, name: string): Promise<void> {
  await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
}

/**
 * A phone-sized browser signed in to the capture app, on Home, with the service worker active (so the app
 * opens offline from then on). CSP violations are reported to the console, where `problems` collects them.
 */
export async function openCaptureApp(
  browser: Browser,
  stack: TestStack,
  options: { who?: string; permissions?: string[] } = {},
): Promise<CaptureApp> {
  const context = await browser.newContext({ ...PHONE, permissions: options.permissions ?? [] });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  const logsFrom = stack.logs.length;
  const page = await context.newPage();
  const problems: string[] = [];
  watchProblems(page, stack.baseUrl, problems);
  await page.goto(`${stack.baseUrl}/capture/`);
  await pickPerson(page, stack, options.who ?? 'Ari Levy');
  await page.waitForURL(new RegExp(`^${stack.baseUrl}/capture/`));
  await page.getByRole('heading', { level: 1, name: /^Hi, / }).waitFor();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const me = (await (await context.request.get(`${stack.baseUrl}/api/v1/me`)).json()) as {
    person: { id: string };
  };
  return { context, page, personId: me.person.id, problems, logsFrom };
}

/** Open a tab by its link in the tab bar and wait for its screen's heading. */
export async function openTab(page: Page, tab: string, heading: string | RegExp = tab): Promise<void> {
  await page.getByRole('navigation', { name: 'Tabs' }).getByRole('link', { name: tab, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** The number of my items still on the device, as the top bar's sync indicator says it. */
export async function pendingOnDevice(page: Page): Promise<number> {
  return Number(await page.getByTestId('sync-indicator').getAttribute('data-pending'));
}

/** Home's quick capture: type, Save, and wait until the form is cleared (the capture is on the device). */
export async function quickSave(page: Page, text: string, status: string | RegExp): Promise<void> {
  const field = page.locator('textarea[name="text"]');
  await field.fill(text);
  await page.getByRole('button', { name: 'Save insight' }).click();
  await expect.poll(() => field.inputValue()).toBe('');
  await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(status);
}

/**
 * Many captures through Home's quick capture, as fast as the UI takes them: each Save is awaited only until the
 * form clears (the capture is in IndexedDB by then), checked in the page without a round trip per poll.
 */
export async function quickSaveMany(page: Page, texts: string[]): Promise<void> {
  const field = page.locator('textarea[name="text"]');
  const save = page.getByRole('button', { name: 'Save insight' });
  for (const text of texts) {
    await field.fill(text);
    // A real click at the button; the actionability checks (it is the same button each time) are skipped.
    await save.click({ force: true });
    await page.waitForFunction(
      () => document.querySelector<HTMLTextAreaElement>('textarea[name="text"]')?.value === '',
      undefined,
      { polling: 'raf' },
    );
  }
}

export const SAVED_OFFLINE = "Saved on this device — will sync when you're online";
export const SAVED_ONLINE = 'Saved ✓ — syncing';

export interface DeviceRow {
  id: string;
  kind: 'insight' | 'edit' | 'attachment' | 'bug';
  state: string;
  attempts: number;
  insightId?: string;
  body?: { text: string };
}

/** The outbox rows in the app's IndexedDB, read the way any script of the origin can. */
export function deviceOutbox(page: Page): Promise<DeviceRow[]> {
  return page.evaluate(
    () =>
      new Promise<DeviceRow[]>((resolve, reject) => {
        const open = indexedDB.open('bi-capture');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction('outbox').objectStore('outbox').getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            resolve(request.result as DeviceRow[]);
            db.close();
          };
        };
      }),
  );
}

/** Server rows whose text starts with `prefix` (each test marks its captures with its own prefix). */
export function storedWithPrefix(stack: TestStack, prefix: string) {
  return stack.db.database.db
    .select({
      id: insights.id,
      text: insights.text,
      authorId: insights.authorId,
      source: insights.source,
      type: insights.type,
      priority: insights.priority,
      eventId: insights.eventId,
      sessionId: insights.sessionId,
      version: insights.version,
    })
    .from(insights)
    .where(like(insights.text, `${prefix}%`));
}

/** How many server rows carry the prefix (cheap enough to poll every few milliseconds). */
export async function countWithPrefix(stack: TestStack, prefix: string): Promise<number> {
  const [row] = await stack.db.database.db
    .select({ n: count() })
    .from(insights)
    .where(like(insights.text, `${prefix}%`));
  return row?.n ?? 0;
}

/** Attachment rows of these insights (no bytes). */
export function storedAttachments(stack: TestStack, insightIds: string[]) {
  return stack.db.database.db
    .select({
      id: insightAttachments.id,
      insightId: insightAttachments.insightId,
      kind: insightAttachments.kind,
      contentType: insightAttachments.contentType,
      byteSize: insightAttachments.byteSize,
    })
    .from(insightAttachments)
    .where(inArray(insightAttachments.insightId, insightIds));
}

/**
 * Exactly once: every capture text is stored once, under the id the device gave it, and nothing else carries
 * the prefix (a resend under a new id, or a lost one, fails here).
 */
export async function expectExactlyOnce(
  stack: TestStack,
  prefix: string,
  captures: { id: string; text: string }[],
): Promise<void> {
  const rows = await storedWithPrefix(stack, prefix);
  const byText = new Map<string, string[]>();
  for (const row of rows) byText.set(row.text, [...(byText.get(row.text) ?? []), row.id]);
  expect(rows).toHaveLength(captures.length);
  for (const capture of captures) expect(byText.get(capture.text)).toEqual([capture.id]);
}

/** A real PNG (a small colour gradient) for the photo picker; the app decodes it and re-encodes a JPEG. */
export function pngImage(width = 64, height = 48): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0, then RGB
    for (let x = 0; x < width; x += 1) row.set([(x * 4) % 256, (y * 5) % 256, 160], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
