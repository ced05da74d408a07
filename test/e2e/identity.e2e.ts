import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollPrincipal } from '../../src/server/modules/break-glass/break-glass.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { SESSION_SECRET, type Session, type TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';

let stack: TestStack;
let browser: Browser;
/** Priya's browser, kept between the tests: after step-up she approves the break-glass request. */
let admin: { context: BrowserContext; page: Page };

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const idpPicker = () => new RegExp(`^${stack.idp.issuer}/interaction/`);

/** At the dev IdP picker: choose how to authenticate, then the person. */
async function pick(page: Page, name: string, auth?: 'pwd' | 'mfa') {
  await page.waitForURL(idpPicker());
  if (auth !== undefined) await page.locator('select[name="auth"]').selectOption(auth);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
}

/** A page whose confirm() dialogs are accepted, as a person clicking OK would. */
async function openPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

async function myInsights(session: Session, text: string) {
  const me = await session.json<{ person: { id: string } }>('/api/v1/me');
  const page = await session.json<{ items: { id: string; text: string }[] }>(
    `/api/v1/insights?authorId=${me.person.id}&limit=100`,
  );
  return page.items.filter((item) => item.text === text);
}

describe('identity in the admin app, in a real browser', () => {
  it('a privileged action asks "Verify it\'s you"; after an MFA step-up it succeeds', async () => {
    const maya = await stack.signIn('Maya');
    const mayaSession = (await maya.json<{ session: { id: string } }>('/api/v1/me')).session.id;

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await openPage(context);
    admin = { context, page };
    await page.goto(`${stack.baseUrl}/admin/sessions`);
    await pick(page, 'Priya Raman', 'pwd');
    await page.waitForURL(`${stack.baseUrl}/admin/sessions`);
    await expect.poll(() => page.getByTestId('claims-model-version').textContent()).toContain('v1');

    const row = page.locator(`[data-session-id="${mayaSession}"]`);
    await row.getByRole('button', { name: 'End session' }).click();
    const verify = page.getByTestId('step-up-banner').getByRole('link', { name: "Verify it's you" });
    await verify.waitFor();
    expect(await verify.getAttribute('href')).toBe('/auth/step-up?returnTo=%2Fadmin%2Fsessions');
    expect((await maya.get('/api/v1/me')).status).toBe(200);

    await verify.click();
    await page.waitForURL(idpPicker());
    expect(await page.locator('[data-step-up="true"]').count()).toBe(1);
    await pick(page, 'Priya Raman', 'mfa');
    await page.waitForURL(`${stack.baseUrl}/admin/sessions`);
    await row.getByRole('button', { name: 'End session' }).click();
    await page.getByTestId('session-ended').waitFor();
    expect((await maya.get('/api/v1/me')).status).toBe(401);

    // Now fresh: the profile says so, and a claims-model change goes through at once.
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await expect.poll(() => page.getByTestId('mfa-fresh').textContent()).toContain('Allowed now');
    await page.getByRole('link', { name: 'Claims model', exact: true }).click();
    const editor = page.locator('textarea[name="model"]');
    const model = JSON.parse(await editor.inputValue()) as { clockSkewSeconds: number };
    await editor.fill('{ "not": "a model" ');
    await expect.poll(() => page.getByTestId('model-check').textContent()).toContain('Not valid JSON');
    await editor.fill(JSON.stringify({ ...model, clockSkewSeconds: 90 }, null, 2));
    await expect.poll(() => page.getByTestId('model-check').textContent()).toContain('clockSkewSeconds');
    await page.getByLabel('Reason for the change').fill('E2E: allow more clock skew');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByTestId('model-saved').waitFor();
    const versions = await (await page.request.get(`${stack.baseUrl}/api/v1/claims-model`)).json();
    expect(versions.items[0]).toMatchObject({
      version: 2,
      status: 'active',
      reason: 'E2E: allow more clock skew',
    });
    expect(versions.items[0].model.clockSkewSeconds).toBe(90);
  });

  it('a break-glass session is marked on every page', async () => {
    const db = stack.db.database.db;
    const principal = await enrollPrincipal(
      { db, sessionSecret: SESSION_SECRET, now: () => new Date() },
      systemContext('e2e'),
      'ops-e2e',
    );
    const totp = OTPAuth.URI.parse(principal.otpauthUri) as OTPAuth.TOTP;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await openPage(context);
    const attempt = async (code: string) => {
      await page.goto(`${stack.baseUrl}/auth/break-glass`);
      await page.locator('#name').fill(principal.name);
      await page.locator('#secret').fill(principal.secret);
      await page.locator('#code').fill(code);
      await page.locator('#reason').fill('E2E: identity provider drill for the banner');
      await page.getByRole('button', { name: 'Sign in with break-glass' }).click();
    };

    // The IdP is healthy: the attempt becomes a request that a second admin approves in the admin app.
    await attempt(totp.generate());
    await page.getByText('second admin must approve').waitFor();
    await admin.page.getByRole('link', { name: 'Break-glass', exact: true }).click();
    const approvals = admin.page.getByTestId('break-glass-approvals');
    await approvals.getByRole('button', { name: 'Approve' }).click();
    await admin.page.getByText(`Approved ${principal.name}'s request`).waitFor();

    await attempt(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.waitForURL(`${stack.baseUrl}/admin/`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const banner = page.getByTestId('break-glass-banner');
    await expect
      .poll(() => banner.textContent())
      .toMatch(/^Emergency access \(break-glass\) — every action is recorded; ends at \d\d:\d\d$/);
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByTestId('identity-card').waitFor();
    expect(await banner.count()).toBe(1);
    await page.goto(`${stack.baseUrl}/admin/break-glass`);
    await page.getByTestId('break-glass-use').first().waitFor();
    expect(await banner.count()).toBe(1);
    await Promise.all([context.close(), admin.context.close()]);
  });
});

describe('capture keeps working when the network or the session is gone', () => {
  it('queues insights on the device, asks to sign in again, then syncs each exactly once', async () => {
    const ari = await stack.signIn('Ari');
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await openPage(context);
    await page.goto(`${stack.baseUrl}/capture/`);
    await pick(page, 'Ari Levy');
    await page.waitForURL(`${stack.baseUrl}/capture/`);
    const text = page.locator('textarea[name="text"]');
    await text.waitFor();
    const pending = page.getByTestId('pending-count');
    const save = async (value: string, saved: string) => {
      await text.fill(value);
      await page.getByRole('button', { name: 'Save insight' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toBe(saved);
      expect(await text.inputValue()).toBe('');
    };

    // Offline: saved on the device; back online, it syncs by itself.
    const offline = `E2E offline ${Date.now()}: the Atlas CLI needs a dry-run flag`;
    await context.setOffline(true);
    await save(offline, "Saved on this device — will sync when you're online");
    await expect.poll(() => pending.getAttribute('data-pending')).toBe('1');
    await context.setOffline(false);
    await expect.poll(async () => (await myInsights(ari, offline)).length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => pending.getAttribute('data-pending')).toBe('0');

    // The session ends on the server (ended from another device): the next save is kept on the device, the
    // sync is refused, and the app asks to sign in again without navigating away.
    const me = await (await page.request.get(`${stack.baseUrl}/api/v1/me`)).json();
    expect((await ari.post(`/api/v1/sessions/${me.session.id}/end`, {})).status).toBe(200);
    const expired = `E2E expired ${Date.now()}: resume tokens confuse everyone`;
    await save(expired, 'Saved ✓ — syncing');
    const banner = page.getByTestId('session-banner');
    await expect
      .poll(() => banner.textContent())
      .toBe('Your session ended — sign in again to sync. 1 item is safe on this device.Sign in');
    await expect.poll(() => pending.getAttribute('data-pending')).toBe('1');
    expect(page.url()).toMatch(new RegExp(`^${stack.baseUrl}/capture/(#/home)?$`));
    expect(await myInsights(ari, expired)).toHaveLength(0);
    // Saving goes on meanwhile, and says where the capture waits.
    const later = `E2E expired later ${Date.now()}: the sample datasets are great`;
    await save(later, 'Saved on this device — will sync after you sign in again');
    await expect.poll(() => pending.getAttribute('data-pending')).toBe('2');

    // Sign in again (the IdP may remember Ari): the app comes back to the same tab and the outbox syncs.
    await banner.getByRole('link', { name: 'Sign in' }).click();
    const back = `${stack.baseUrl}/capture/#/home`;
    await page.waitForURL((url) => url.href === back || idpPicker().test(url.href));
    if (idpPicker().test(page.url())) await pick(page, 'Ari Levy');
    await page.waitForURL(back);
    await text.waitFor();
    await expect.poll(async () => (await myInsights(ari, expired)).length, { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await myInsights(ari, later)).length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => pending.getAttribute('data-pending')).toBe('0');
    expect(await banner.count()).toBe(0);
    expect(await myInsights(ari, offline)).toHaveLength(1);

    // An advocate's /admin/ is their profile (advocates capture; they don't get the dashboard).
    await page.goto(`${stack.baseUrl}/admin/`);
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    expect(await page.getByTestId('profile-role').textContent()).toBe('Advocate');
    expect(await page.getByRole('link', { name: 'Dashboard' }).count()).toBe(0);
    await context.close();
  });
});
