import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';

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
});
