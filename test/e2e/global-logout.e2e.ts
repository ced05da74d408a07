import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personFor, type TestStack } from '../helpers/stack.ts';
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

describe('global logout, in a real browser', () => {
  it.each([
    ['universal', 'Okta Universal Logout', 204],
    ['backchannel', 'OIDC back-channel logout', 200],
  ] as const)(
    'the identity provider signs a person out everywhere: %s (%s)',
    async (mechanism, _label, status) => {
      const who = mechanism === 'universal' ? 'Dana' : 'Erik';
      const person = personFor(who);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/admin/`);
      await page.getByRole('button', { name: `Sign in as ${person.givenName} ${person.familyName}` }).click();
      await page.waitForURL(/\/admin\/$/);
      expect((await page.request.get(`${stack.baseUrl}/api/v1/me`)).status()).toBe(200);

      // At the provider (dev IdP's admin page), sign the person out everywhere.
      const idp = await context.newPage();
      await idp.goto(`${stack.idp.issuer}/dev/global-logout`);
      await idp.selectOption('select[name="sub"]', person.sub);
      await idp.selectOption('select[name="mechanism"]', mechanism);
      await idp.getByRole('button', { name: 'Sign this person out everywhere' }).click();
      await expect.poll(async () => idp.locator('.notice').textContent()).toContain(`→ ${status}`);

      // The app session is gone: the browser's next API call is refused (the app would send it to sign in).
      expect((await page.request.get(`${stack.baseUrl}/api/v1/me`)).status()).toBe(401);
      await context.close();
    },
  );
});
