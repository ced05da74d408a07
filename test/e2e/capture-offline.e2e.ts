import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import type { TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';
import { expectClean, openCaptureApp } from './capture-gate.ts';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/**
 * The capture PWA's service worker and precache. What the app does offline with that (saving, the queue
 * surviving a reload, syncing exactly once) is proven in capture-release-gate.e2e.ts.
 */
describe('capture PWA offline, in a real browser', () => {
  it('installs its service worker, precaches only the capture app, and opens with the network gone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/capture/`);
    await page.getByRole('button', { name: 'Sign in as Ari Levy' }).click();
    await page.waitForURL(/\/capture\/$/);

    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return { scope: registration.scope, script: registration.active?.scriptURL ?? '' };
    });
    expect(worker).toEqual({ scope: `${stack.baseUrl}/capture/`, script: `${stack.baseUrl}/capture/sw.js` });

    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifestHref).toBe('/capture/manifest.webmanifest');

    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys())
          urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(cached).toEqual(expect.arrayContaining(['/capture/index.html', '/capture/manifest.webmanifest']));
    const scripts = await page.evaluate(() =>
      [...document.querySelectorAll('script[src], link[rel="modulepreload"], link[rel="stylesheet"]')].map(
        (el) => el.getAttribute('src') ?? el.getAttribute('href') ?? '',
      ),
    );
    for (const asset of scripts) expect(cached).toContain(asset);
    expect(cached.some((url) => url.startsWith('/admin/') || /echarts/i.test(url))).toBe(false);
    expect(cached.some((url) => url.startsWith('/api/'))).toBe(false);

    // Offline: a reload, a path under the scope and a tab's deep link all open the cached app (never the
    // browser's error page), on the right screen.
    await context.setOffline(true);
    for (const [url, heading] of [
      [`${stack.baseUrl}/capture/`, /^Hi, Ari/],
      [`${stack.baseUrl}/capture/outbox`, /^Hi, Ari/],
      [`${stack.baseUrl}/capture/#/profile`, /^Profile$/],
    ] as const) {
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('Capture · Builder Insights');
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    }
    await context.setOffline(false);
    await context.close();
  });

  it('offers a new version as "Reload to update" and keeps what the person was typing', async () => {
    const workerFile = path.join(WEB_ROOT, 'capture', 'sw.js');
    const original = readFileSync(workerFile, 'utf8');
    /** Deploy a new version: the worker's bytes change, the browser's update check installs it. */
    const deployAndCheck = async (page: Page, version: number) => {
      writeFileSync(workerFile, `${original}\n// release ${version}\n`);
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration('/capture/'))?.update();
      });
    };
    const app = await openCaptureApp(browser, stack);
    const { context, page } = app;
    const text = 'Half-typed before the update: the Spark connector docs skip';
    const box = page.locator('textarea[name="text"]');
    const reloadButton = page.getByRole('button', { name: 'Reload to update' });
    try {
      // The usual case: the old worker controls the page; the controller changes, then the page reloads.
      // The worker never claims open pages, so a page whose sign-in round trip finished before the first
      // worker activated (a slow machine) is uncontrolled until its next navigation: make that navigation.
      if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
        await page.reload();
        await page.getByRole('heading', { level: 1, name: /^Hi, / }).waitFor();
      }
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      await box.fill(text);
      await deployAndCheck(page, 1);
      await reloadButton.waitFor({ timeout: 20_000 });
      await Promise.all([page.waitForEvent('load'), reloadButton.click()]);
      await page.getByRole('heading', { level: 1, name: /^Hi, / }).waitFor();
      await expect.poll(() => box.inputValue()).toBe(text);
      expect(await reloadButton.count()).toBe(0);

      // A second tab that no worker controls (opened with a shift-reload) while this one keeps the old worker
      // in charge: the new worker waits for both; activated from the second tab, it does not claim that tab,
      // which therefore reloads on activation instead of waiting for a controller that never comes.
      const other = await context.newPage();
      await other.goto(`${stack.baseUrl}/capture/`);
      const cdp = await context.newCDPSession(other);
      await Promise.all([other.waitForEvent('load'), cdp.send('Page.reload', { ignoreCache: true })]);
      await other.getByRole('heading', { level: 1, name: /^Hi, / }).waitFor();
      expect(await other.evaluate(() => navigator.serviceWorker.controller === null)).toBe(true);
      await deployAndCheck(other, 2);
      const otherButton = other.getByRole('button', { name: 'Reload to update' });
      await otherButton.waitFor({ timeout: 20_000 });
      await Promise.all([other.waitForEvent('load'), otherButton.click()]);
      await other.getByRole('heading', { level: 1, name: /^Hi, / }).waitFor();
      expect(await otherButton.count()).toBe(0);
      await expect.poll(() => box.inputValue()).toBe(text);
      const state = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration('/capture/');
        return {
          waiting: registration?.waiting ?? null,
          controlled: navigator.serviceWorker.controller !== null,
        };
      });
      expect(state).toEqual({ waiting: null, controlled: true });
      expectClean(app, stack);
    } finally {
      writeFileSync(workerFile, original);
      await context.close();
    }
  });
});
