import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { launchChromium } from '../../test/e2e/browser.ts';
import { startStack } from '../../test/helpers/stack.ts';
import { percentile, type Scenario } from '../harness.ts';

/**
 * Tap-to-saved with no network, in headless Chromium on a phone-sized page: from the click on "Save insight" to
 * the first frame that shows the confirmation with the form cleared (the insight is in IndexedDB by then).
 * Baseline, in the same page and run: a bare IndexedDB put of a record of the same size into a scratch
 * database, awaited until its transaction commits — the floor any local-first save pays.
 */
async function tapToSaved(page: Page, text: string): Promise<number> {
  await page.locator('textarea[name="text"]').fill(text);
  return page.evaluate(async () => {
    const area = document.querySelector<HTMLTextAreaElement>('textarea[name="text"]');
    const button = [...document.querySelectorAll('button')].find(
      (candidate) => candidate.textContent?.trim() === 'Save insight',
    );
    if (!area || !button) throw new Error('capture form not found');
    const saved = () =>
      area.value === '' &&
      [...document.querySelectorAll('[role="status"]')].some((el) => el.textContent?.includes('Saved'));
    const start = performance.now();
    button.click();
    return new Promise<number>((resolve, reject) => {
      const deadline = start + 10_000;
      const check = () => {
        if (saved()) resolve(performance.now() - start);
        else if (performance.now() > deadline) reject(new Error('no confirmation within 10 s'));
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  });
}

async function bareIndexedDbPut(page: Page, text: string): Promise<number> {
  return page.evaluate(async (body) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('bench-baseline', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('items', { keyPath: 'id' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('items', 'readwrite');
      tx.objectStore('items').put({
        id: crypto.randomUUID(),
        text: body,
        capturedAt: new Date().toISOString(),
      });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    const elapsed = performance.now() - start;
    db.close();
    return elapsed;
  }, text);
}

export const captureTapToSaved: Scenario = {
  name: 'capture-tap-to-saved',
  description: 'offline save in headless Chromium (390×844), tap → confirmation, p95',
  target: { kind: 'absolute_max', value: 1000, unit: 'ms', note: 'p95, offline' },
  async run(context) {
    if (!existsSync(path.join(WEB_ROOT, 'capture', 'index.html'))) {
      throw new Error('The web apps are not built: run npm run build first.');
    }
    const samples = context.smoke ? 8 : 30;
    const stack = await startStack({ webRoot: WEB_ROOT });
    const browser = await launchChromium();
    try {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      const page = await phone.newPage();
      await page.goto(`${stack.baseUrl}/capture/`);
      await page.getByRole('button', { name: 'Sign in as Ari Levy' }).click();
      await page.waitForURL(/\/capture\//);
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await page.locator('textarea[name="text"]').waitFor();
      await phone.setOffline(true);
      const ours: number[] = [];
      const baseline: number[] = [];
      for (let i = 0; i < samples; i += 1) {
        const text = `Bench ${i}: the driver's retry docs skip the write-concern case at our scale`;
        ours.push(await tapToSaved(page, text));
        baseline.push(await bareIndexedDbPut(page, text));
      }
      const p95 = percentile(ours, 95);
      const base95 = percentile(baseline, 95);
      context.log(
        `${samples} saves: p50 ${percentile(ours, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; ` +
          `bare IndexedDB put p50 ${percentile(baseline, 50).toFixed(1)} ms, p95 ${base95.toFixed(1)} ms`,
      );
      await phone.close();
      return {
        ours: p95,
        baseline: base95,
        unit: 'ms',
        details: `p95 of ${samples} offline saves vs a bare IndexedDB put in the same page`,
      };
    } finally {
      await browser.close();
      await stack.close();
    }
  },
};
