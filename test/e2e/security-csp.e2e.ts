import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackForm } from '../../src/contract/api/forms.ts';
import { events, insights } from '../../src/server/db/schema.ts';
import { seedDemoDataIfEmpty } from '../../src/server/modules/demo/demo.seed.ts';
import { PAGES } from '../../src/web/admin/nav.ts';
import { TABS } from '../../src/web/capture/lib/routes.ts';
import type { TestStack } from '../helpers/stack.ts';
import { reportCspViolations, startBrowserStack, watchProblems } from './browser.ts';

/**
 * Issue 12 §3 in Chromium: every page the apps have — each admin page of the app's own page list, the capture
 * PWA's tabs, a public form and its thank-you page, the break-glass and sign-in pages — opened by an admin
 * (or anonymously, for the public ones) under the real CSP, with no CSP violation, console error or uncaught
 * exception. The shells' scripts run because they carry the response's nonce; an injected inline script
 * without it does not.
 */
let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
let form: FeedbackForm;
let insightId = '';
let eventId = '';

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
  const db = stack.db.database.db;
  await seedDemoDataIfEmpty(db, { issuer: stack.idp.issuer, access: stack.config.access, now: new Date() });
  const [event] = await db.select().from(events).limit(1);
  eventId = event?.id ?? '';
  const [insight] = await db.select().from(insights).where(eq(insights.eventId, eventId)).limit(1);
  insightId = insight?.id ?? '';
  const ari = await stack.signIn('ari.levy@example.com');
  const created = await ari.post('/api/v1/forms', {
    template: 'event_feedback',
    title: 'CSP check',
    eventId,
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const draft = (await created.json()) as FeedbackForm;
  const opened = await ari.send('PATCH', `/api/v1/forms/${draft.id}`, {
    version: draft.version,
    status: 'open',
  });
  form = (await opened.json()) as FeedbackForm;
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
});

async function watchedContext(
  label: string,
  arm: () => boolean = () => true,
  ignore: (text: string) => boolean = () => false,
) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  await reportCspViolations(context);
  const page = await context.newPage();
  watchProblems(page, stack.baseUrl, problems, { label, when: arm, ignore });
  return page;
}

/** Loaded and quiet: the page's main landmark is there and its requests have finished. */
async function settle(page: Page) {
  await page.locator('main, #root > *').first().waitFor();
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
}

const nonceOfHeader = (csp: string | undefined) => /'nonce-([A-Za-z0-9_-]+)'/.exec(csp ?? '')?.[1] ?? null;

let priya: Page;

describe('every page under the CSP', () => {
  it('opens every admin page as an admin, its scripts running by the response nonce', async () => {
    let signedIn = false;
    priya = await watchedContext('admin', () => signedIn);
    await priya.goto(`${stack.baseUrl}/admin/`);
    await priya.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    await priya.locator('select[name="auth"]').selectOption('mfa');
    signedIn = true;
    await priya.getByRole('button', { name: 'Sign in as Priya' }).click();
    await priya.waitForURL(`${stack.baseUrl}/admin/`);

    const paths = [
      ...PAGES.map((p) => p.path),
      `/admin/insights/${insightId}`,
      `/admin/events/${eventId}`,
      `/admin/forms/${form.id}`,
    ];
    expect(paths.length).toBeGreaterThan(25);
    for (const path of paths) {
      const response = await priya.goto(`${stack.baseUrl}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
      const nonce = nonceOfHeader((await response?.allHeaders())?.['content-security-policy']);
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
      await settle(priya);
      // The entry script carries this response's nonce (hidden from the DOM attribute, readable as a property)
      // and ran: the app rendered its navigation.
      const script = await priya.evaluate(() => {
        const entry = document.querySelector<HTMLScriptElement>('script[type="module"]');
        return { property: entry?.nonce, attribute: entry?.getAttribute('nonce') };
      });
      expect({ path, ...script }).toEqual({ path, property: nonce, attribute: '' });
      expect(await priya.getByRole('navigation').count()).toBeGreaterThan(0);
    }
  });

  it('opens every capture tab as an admin', async () => {
    const page = await priya.context().newPage();
    let online = true;
    watchProblems(page, stack.baseUrl, problems, { label: 'capture', when: () => online });
    for (const tab of TABS) {
      await page.goto(`${stack.baseUrl}/capture/#/${tab}`);
      await settle(page);
      expect(
        await page.evaluate(() => document.querySelector('#root')?.childElementCount ?? 0),
      ).toBeGreaterThan(0);
    }
    // Offline, the service worker answers with the precached shell: its header and body came from one response,
    // so the shell's nonce still matches its CSP and the app starts (network errors offline are expected).
    await page.evaluate(() => navigator.serviceWorker.ready);
    online = false;
    await page.context().setOffline(true);
    expect(page.url()).toBe(`${stack.baseUrl}/capture/#/profile`);
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    const nonce = nonceOfHeader((await response?.allHeaders())?.['content-security-policy']);
    await page.getByRole('heading', { level: 1, name: /^Profile$/ }).waitFor();
    const offline = await page.evaluate(() => ({
      nonce: document.querySelector<HTMLScriptElement>('script[type="module"]')?.nonce,
      violations: (window as unknown as { __cspViolations: string[] }).__cspViolations,
    }));
    expect(offline).toEqual({ nonce, violations: [] });
    await page.context().setOffline(false);
    await page.close();
  });

  it('opens the public pages anonymously: landing, sign-in error, break-glass, a form and its thanks', async () => {
    // The browser logs an error page's own status as an error: expected for the sign-in error page only.
    let errorPage = false;
    const page = await watchedContext(
      'anonymous',
      () => true,
      (text) => errorPage && text.includes('the server responded with a status of 400'),
    );
    const visits: [string, number][] = [
      ['/', 200],
      ['/auth/callback?error=access_denied&state=x', 400],
      ['/auth/break-glass', 200],
      [new URL(form.publicUrl).pathname, 200],
      [`${new URL(form.publicUrl).pathname}/thanks`, 200],
    ];
    for (const [path, status] of visits) {
      errorPage = status === 400;
      const response = await page.goto(`${stack.baseUrl}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status });
      await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
      expect(await page.locator('body').innerText()).not.toBe('');
    }
  });

  it('showed no CSP violation, console error or uncaught exception on any of them', () => {
    expect(problems).toEqual([]);
  });
});

describe('the CSP is enforced', () => {
  it('blocks an injected inline script, runs one with the response nonce, and refuses eval even to that', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    await reportCspViolations(context);
    const page = await context.newPage();
    const response = await page.goto(`${stack.baseUrl}/auth/break-glass`);
    const nonce = nonceOfHeader((await response?.allHeaders())?.['content-security-policy']) ?? '';
    const ran = await page.evaluate((nonce) => {
      const flags = window as unknown as Record<string, string>;
      const inject = (name: string, code: string, withNonce: boolean) => {
        const script = document.createElement('script');
        if (withNonce) script.nonce = nonce;
        script.textContent = code.replace('NAME', name);
        document.body.append(script);
      };
      const probe = `window.NAME = 'ran'; try { eval('1'); window.NAME = 'eval ran'; } catch { }
        try { new Function('return 1')(); window.NAME += ', Function ran'; } catch { }`;
      inject('plain', probe, false);
      inject('nonced', probe, true);
      return { plain: flags.plain ?? 'blocked', nonced: flags.nonced ?? 'blocked' };
    }, nonce);
    // 'ran', not 'eval ran' or '…, Function ran': eval and new Function threw inside the nonce'd script.
    expect(ran).toEqual({ plain: 'blocked', nonced: 'ran' });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))
      .toEqual(expect.arrayContaining([expect.stringMatching(/^CSP violation: script-src-elem inline/)]));
  });
});
