import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSessions, events } from '../../src/server/db/schema.ts';
import type { TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';
import {
  expectClean,
  FAKE_MICROPHONE,
  openCaptureApp,
  openTab,
  pendingOnDevice,
  pngImage,
  quickSave,
  SAVED_ONLINE,
  storedAttachments,
  storedWithPrefix,
} from './capture-gate.ts';

/**
 * The capture release gate (P1), in Chromium against the real server: a recording without speech-to-text
 * becomes a draft that is finished later; a photo that fails to upload never blocks its insight; event and
 * session check-in travels with every capture; an edit that meets a newer version asks which to keep.
 */

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  // No speech-to-text provider is configured in the test stack (the default).
  ({ stack, browser } = await startBrowserStack({ chromiumArgs: FAKE_MICROPHONE }));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('capture release gate (P1), in a real browser', () => {
  it('keeps a recording as a draft when there is no transcription, and saves it with its audio later', async () => {
    const app = await openCaptureApp(browser, stack, { permissions: ['microphone'] });
    const { context, page } = app;
    await openTab(page, 'Capture');
    await page.getByRole('button', { name: 'Record voice' }).click();
    await expect
      .poll(() => page.getByRole('timer').textContent(), { timeout: 10_000 })
      .toMatch(/^Recording 0:02/);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.getByText(/^Saved as a draft with your recording — add the text under Drafts\./).waitFor();
    const drafts = page.getByTestId('drafts');
    await expect.poll(() => drafts.textContent()).toContain('no transcription available');
    expect(await drafts.getByRole('link').count()).toBe(1);

    // Home lists it for review too; open it from there, listen (the player is there), type, save.
    await openTab(page, 'Home', /^Hi, /);
    await expect.poll(() => page.getByTestId('drafts').textContent()).toContain('Drafts to review (1)');
    await page.getByTestId('drafts').getByRole('link').click();
    await page.getByTestId('draft-banner').waitFor();
    expect(page.url()).toMatch(/#\/capture\/draft\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('audio').count()).toBe(1);
    const text = `Gate voice ${Date.now()}: the developer wants change streams in the Data API`;
    await page.locator('textarea[name="text"]').fill(text);
    await page.getByRole('button', { name: 'Save insight' }).click();
    await page.getByText(SAVED_ONLINE).waitFor();
    await expect.poll(() => page.getByTestId('draft-banner').count()).toBe(0);

    await expect.poll(async () => (await storedWithPrefix(stack, text)).length, { timeout: 20_000 }).toBe(1);
    const [insight] = await storedWithPrefix(stack, text);
    expect(insight?.source).toBe('voice');
    const attachments = () => storedAttachments(stack, [insight?.id ?? '']);
    await expect.poll(async () => (await attachments()).length, { timeout: 20_000 }).toBe(1);
    expect((await attachments())[0]).toMatchObject({ kind: 'audio', contentType: 'audio/webm' });
    expect((await attachments())[0]?.byteSize).toBeGreaterThan(1000);
    await expect.poll(() => pendingOnDevice(page)).toBe(0);
    expect(await page.getByTestId('drafts').count()).toBe(0);
    expectClean(app, stack);
    await context.close();
  });

  it('saves the insight when its photo upload fails, keeps the photo queued, and uploads it on Sync now', async () => {
    const app = await openCaptureApp(browser, stack);
    const { context, page } = app;
    const uploads: string[] = [];
    await context.route('**/api/v1/insights/*/attachments/*', (route) => {
      uploads.push(route.request().method());
      return route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }),
      });
    });
    await openTab(page, 'Capture');
    const text = `Gate photo ${Date.now()}: whiteboard of the sharding design`;
    await page.locator('textarea[name="text"]').fill(text);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'or choose from library' }).click();
    await (await chooser).setFiles({ name: 'whiteboard.png', mimeType: 'image/png', buffer: pngImage() });
    await page.getByRole('img', { name: 'Attached 1 of 1' }).waitFor();
    expect(await page.getByRole('button', { name: 'Remove photo 1' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Save insight' }).click();
    await page.getByText(SAVED_ONLINE).waitFor();

    await expect.poll(async () => (await storedWithPrefix(stack, text)).length, { timeout: 20_000 }).toBe(1);
    const [insight] = await storedWithPrefix(stack, text);
    await expect.poll(() => uploads.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(uploads[0]).toBe('PUT');
    await openTab(page, 'Profile');
    const item = page.getByTestId('outbox-item');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getAttribute('data-state')).toBe('pending');
    expect(await item.textContent()).toMatch(/Attachment.*Photo, \d+ KB/);
    expect(await pendingOnDevice(page)).toBe(1);
    expect(await storedAttachments(stack, [insight?.id ?? ''])).toHaveLength(0);

    await context.unrouteAll({ behavior: 'wait' });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await storedAttachments(stack, [insight?.id ?? ''])).length).toBe(1);
    expect((await storedAttachments(stack, [insight?.id ?? '']))[0]).toMatchObject({
      kind: 'photo',
      contentType: 'image/jpeg',
    });
    await expect.poll(() => item.count()).toBe(0);
    expect(await pendingOnDevice(page)).toBe(0);
    expectClean(app, stack);
    await context.close();
  });

  it('checks in to an event and a session; captures carry them; a reload remembers the check-in', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const [event] = await stack.db.database.db
      .insert(events)
      .values({
        name: 'Gate Summit',
        eventType: 'regional_dev_day',
        region: 'AMER',
        location: 'Austin',
        startsOn: today,
        endsOn: today,
        isActive: true,
      })
      .returning();
    const sessions = await stack.db.database.db
      .insert(eventSessions)
      .values([
        { eventId: event?.id ?? '', title: 'Vector search deep dive', speaker: 'Dana Kim' },
        { eventId: event?.id ?? '', title: 'Schema design clinic', speaker: 'Luis Ortega' },
      ])
      .returning();
    const chosen = sessions.find((session) => session.title === 'Vector search deep dive');

    const app = await openCaptureApp(browser, stack);
    const { context, page } = app;
    await openTab(page, 'Context');
    const eventButton = page.getByRole('button', { name: /^Gate Summit/ });
    expect(await eventButton.getAttribute('aria-pressed')).toBe('false');
    await eventButton.click();
    await expect.poll(() => eventButton.getAttribute('aria-pressed')).toBe('true');
    const session = page.getByRole('button', { name: 'Vector search deep dive — Dana Kim' });
    expect(await page.getByRole('button', { name: 'Whole event' }).getAttribute('aria-pressed')).toBe('true');
    await session.click();
    await expect.poll(() => session.getAttribute('aria-pressed')).toBe('true');
    const chip = page.getByTestId('context-chip').first();
    const checkedIn = 'Checked in: Gate Summit · Vector search deep dive — change';
    expect(await chip.getAttribute('aria-label')).toBe(checkedIn);

    await openTab(page, 'Home', /^Hi, /);
    const text = `Gate context ${Date.now()}: the demo of $vectorSearch filters was the hit of the day`;
    await quickSave(page, text, SAVED_ONLINE);
    await expect.poll(async () => (await storedWithPrefix(stack, text)).length, { timeout: 20_000 }).toBe(1);
    expect((await storedWithPrefix(stack, text))[0]).toMatchObject({
      eventId: event?.id,
      sessionId: chosen?.id,
    });

    await page.reload();
    await page.getByRole('heading', { level: 1, name: /^Hi, / }).waitFor();
    expect(await page.getByTestId('context-chip').first().getAttribute('aria-label')).toBe(checkedIn);
    await openTab(page, 'Context');
    await expect
      .poll(() => page.locator('.checked-in').textContent())
      .toContain('Checked in to Gate Summit · Vector search deep dive');
    expectClean(app, stack);
    await context.close();
  });

  it('shows an edit that met a newer version, and keeps mine over it on Resolve → Keep mine', async () => {
    const ari = await stack.signIn('Ari');
    const maya = await stack.signIn('Maya');
    const id = randomUUID();
    const original = `Gate conflict ${Date.now()}: Atlas triggers need retries`;
    const created = await ari.post('/api/v1/insights', {
      id,
      text: original,
      type: 'feature_request',
      sentiment: 'neutral',
      priority: 'medium',
      capturedAt: new Date().toISOString(),
    });
    expect(created.status).toBe(201);

    const app = await openCaptureApp(browser, stack);
    const { context, page } = app;
    await openTab(page, 'Impact');
    await page.getByRole('link', { name: new RegExp(original) }).click();
    const detail = page.getByTestId('insight-detail');
    await expect.poll(() => detail.textContent()).toContain(original);

    // Edited on the phone without network…
    await context.setOffline(true);
    await detail.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit insight' }).waitFor();
    const mine = `${original} — with exponential backoff, said the developer`;
    await page.locator('textarea[name="text"]').fill(mine);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Your edit is saved on this device and will sync.').waitFor();
    expect(await pendingOnDevice(page)).toBe(1);

    // …while the manager changed the same insight on the server.
    const theirs = `${original} (manager: duplicate of the triggers epic)`;
    const patched = await maya.send('PATCH', `/api/v1/insights/${id}`, {
      version: 1,
      text: theirs,
      priority: 'high',
    });
    expect(patched.status).toBe(200);

    await context.setOffline(false);
    await openTab(page, 'Impact');
    const banner = page.getByTestId('conflict-banner');
    await banner.waitFor({ timeout: 20_000 });
    await banner.getByRole('link', { name: 'Resolve' }).click();
    const compare = page.getByTestId('conflict-compare');
    await compare.waitFor();
    expect(await compare.textContent()).toContain(mine);
    expect(await compare.textContent()).toContain(theirs);
    await page.getByRole('button', { name: 'Keep mine' }).click();

    await expect
      .poll(async () => (await storedWithPrefix(stack, original))[0]?.text, { timeout: 20_000 })
      .toBe(mine);
    // Mine over theirs: my text, their other change (priority) kept, one version past theirs.
    expect((await storedWithPrefix(stack, original))[0]).toMatchObject({ version: 3, priority: 'high' });
    await expect.poll(() => pendingOnDevice(page)).toBe(0);
    await openTab(page, 'Impact');
    expect(await banner.count()).toBe(0);
    expectClean(app, stack);
    await context.close();
  });
});
