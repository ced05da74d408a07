import { describe, expect, it } from 'vitest';
import { BugReportCreate } from '../../src/contract/api/bug-reports.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { type DeviceEnv, deviceInfo, deviceLines, sanitizeDevice } from '../../src/web/capture/lib/device.ts';
import { encodeSteps, fitWithin, PHOTO_LONG_SIDE } from '../../src/web/capture/lib/image.ts';
import { type OutboxCounts, syncWords, waitWords } from '../../src/web/capture/lib/sync-words.ts';
import type { SyncStatus } from '../../src/web/capture/offline/types.ts';

const env: DeviceEnv = {
  appVersion: '0.1.0+abc1234',
  tab: 'Capture',
  userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/130.0',
  platform: 'Android',
  language: 'en-GB',
  viewportWidth: 390.4,
  viewportHeight: 844,
  screenWidth: 1170,
  screenHeight: 2532,
  pixelRatio: 3,
  online: false,
  standalone: true,
  timeZone: 'Europe/London',
};

describe('device info for bug reports', () => {
  it('collects the details the sheet promises, in a shape the server accepts', () => {
    const device = deviceInfo(env);
    expect(device).toMatchObject({
      appVersion: '0.1.0+abc1234',
      tab: 'Capture',
      viewport: '390×844',
      online: false,
      installed: true,
    });
    const report = {
      id: crypto.randomUUID(),
      description: 'The save button did nothing',
      screen: 'Capture',
      appVersion: env.appVersion,
      device,
      reportedAt: new Date().toISOString(),
    };
    expect(BugReportCreate.safeParse(report).success).toBe(true);
    expect(deviceLines(device).find((line) => line.label === 'Online')?.value).toBe('no');
  });

  it('bounds everything: field count, key and value length, one line, only plain values', () => {
    const raw: Record<string, unknown> = {
      long: 'x'.repeat(LIMITS.bugDeviceValue + 50),
      multi: 'line one\nline two\u0007',
      ['k'.repeat(80)]: 'key cut',
      nan: Number.NaN,
      object: { nested: true },
      empty: '   ',
      '': 'no key',
      ratio: 2.123456,
    };
    for (let index = 0; index < 40; index += 1) raw[`extra${index}`] = index;
    const device = sanitizeDevice(raw);
    expect(Object.keys(device).length).toBe(LIMITS.bugDeviceFields);
    expect(String(device.long)).toHaveLength(LIMITS.bugDeviceValue);
    expect(device.multi).toBe('line one line two');
    expect(device['k'.repeat(50)]).toBe('key cut');
    expect(device).not.toHaveProperty('nan');
    expect(device).not.toHaveProperty('object');
    expect(device).not.toHaveProperty('empty');
    expect(Object.keys(device)).not.toContain('');
    expect(device.ratio).toBe(2.12);
    expect(BugReportCreate.shape.device.safeParse(device).success).toBe(true);
  });
});

describe('photo downscale maths', () => {
  it('fits the long side, keeps the aspect ratio, never enlarges', () => {
    expect(fitWithin({ width: 4032, height: 3024 }, 1600)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin({ width: 3024, height: 4032 }, 1600)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin({ width: 800, height: 600 }, 1600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin({ width: 10000, height: 3 }, 1600)).toEqual({ width: 1600, height: 1 });
  });

  it('tries a bounded, shrinking series of encodes, never below 640 px', () => {
    const steps = encodeSteps();
    expect(steps[0]).toEqual({ longSide: PHOTO_LONG_SIDE, quality: 0.8 });
    expect(steps.length).toBeLessThanOrEqual(6);
    for (let index = 1; index < steps.length; index += 1) {
      const [before, step] = [steps[index - 1], steps[index]];
      expect(step && before && (step.longSide < before.longSide || step.quality < before.quality)).toBe(true);
      expect(step?.longSide).toBeGreaterThanOrEqual(640);
    }
    expect(encodeSteps(800).every((step) => step.longSide >= 640)).toBe(true);
  });
});

describe('sync state in words', () => {
  const status = (patch: Partial<SyncStatus>): SyncStatus => ({
    state: 'idle',
    lastSyncedAt: null,
    nextAttemptAt: null,
    lastError: null,
    ...patch,
  });
  const counts = (patch: Partial<OutboxCounts>): OutboxCounts => ({
    waiting: 0,
    allInsights: true,
    needAttention: 0,
    ...patch,
  });
  const now = 1_000_000;

  it('says all synced only when nothing waits and nothing needs attention', () => {
    expect(syncWords(status({}), counts({}), now, true)).toEqual({ text: 'All synced', tone: 'ok' });
    expect(syncWords(status({}), counts({ needAttention: 1 }), now, true).text).toBe(
      'Nothing left to send · 1 needs your attention',
    );
  });

  it('explains offline, backoff and signed-out states with the counts', () => {
    expect(syncWords(status({ state: 'offline' }), counts({ waiting: 3 }), now, false).text).toBe(
      "3 waiting — you're offline; they'll sync when you're back",
    );
    expect(
      syncWords(status({ state: 'waiting', nextAttemptAt: now + 39_200 }), counts({ waiting: 3 }), now, true)
        .text,
    ).toBe('3 waiting — retrying in 40 s');
    expect(syncWords(status({ state: 'signed_out' }), counts({ waiting: 3 }), now, true)).toEqual({
      text: 'Sign in again to sync — 3 insights are safe on this device',
      tone: 'problem',
    });
    expect(
      syncWords(status({ state: 'signed_out' }), counts({ waiting: 1, allInsights: false }), now, true).text,
    ).toBe('Sign in again to sync — 1 item is safe on this device');
    expect(syncWords(status({ state: 'syncing' }), counts({ waiting: 2 }), now, true).text).toBe(
      'Syncing 2 insights…',
    );
    expect(syncWords(status({}), counts({ waiting: 1, allInsights: false }), now, true).text).toBe(
      '1 item waiting to sync',
    );
  });

  it('rounds waits to seconds, minutes or hours', () => {
    expect(waitWords(400)).toBe('1 s');
    expect(waitWords(59_000)).toBe('59 s');
    expect(waitWords(150_000)).toBe('3 min');
    expect(waitWords(2 * 3600_000)).toBe('2 h');
  });
});
