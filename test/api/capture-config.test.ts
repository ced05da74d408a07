import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureConfig } from '../../src/contract/api/capture.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { ConfigError, loadConfig } from '../../src/server/config.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';

const KEY = 'sk-test-capture-config-key';
let plain: TestStack;
let withStt: TestStack;

beforeAll(async () => {
  [plain, withStt] = await Promise.all([
    startStack(),
    startStack({ env: { STT_URL: 'http://127.0.0.1:9/v1', STT_API_KEY: KEY } }),
  ]);
});
afterAll(async () => {
  await plain?.close();
  await withStt?.close();
});

describe('GET /api/v1/capture/config', () => {
  it('says transcription is off by default, with the limits and the server version, to any signed-in role', async () => {
    for (const who of ['Ari', 'Victor']) {
      const session = await plain.signIn(who);
      const config = await session.json<CaptureConfig>('/api/v1/capture/config');
      expect(config).toEqual({
        transcription: { enabled: false, maxSeconds: LIMITS.audioSeconds },
        limits: {
          photoBytes: LIMITS.photoBytes,
          audioBytes: LIMITS.audioBytes,
          attachmentsPerInsight: LIMITS.attachmentsPerInsight,
          syncBatchMax: LIMITS.syncBatchMax,
        },
        serverVersion: 'dev',
      });
    }
    expect((await fetch(`${plain.baseUrl}/api/v1/capture/config`)).status).toBe(401);
  });

  it('says transcription is on when a provider is configured, revealing neither its address nor its key', async () => {
    const session = await withStt.signIn('Ari');
    const response = await session.get('/api/v1/capture/config');
    const text = await response.text();
    expect((JSON.parse(text) as CaptureConfig).transcription.enabled).toBe(true);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('127.0.0.1:9');
  });
});

describe('speech-to-text settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it('is off when STT_URL is unset, and has sensible defaults when set', () => {
    expect(loadConfig({}).speechToText).toBeNull();
    expect(loadConfig({ STT_URL: 'https://api.openai.com/v1/', STT_API_KEY: KEY }).speechToText).toEqual({
      url: 'https://api.openai.com/v1',
      apiKey: KEY,
      model: 'whisper-1',
      timeoutMs: 20_000,
    });
    expect(
      loadConfig({ STT_URL: 'http://whisper.local/v1', STT_MODEL: 'gpt-4o-mini-transcribe' }).speechToText,
    ).toMatchObject({ apiKey: undefined, model: 'gpt-4o-mini-transcribe' });
  });

  it('names the variable and the fix when a setting is wrong', () => {
    expect(problems({ STT_URL: 'not a url' })[0]).toMatch(/^STT_URL: must be an absolute URL/);
    expect(problems({ STT_URL: 'https://x.example', STT_TIMEOUT_MS: '5' })[0]).toMatch(
      /^STT_TIMEOUT_MS: must be at least 100/,
    );
    expect(problems({ STT_API_KEY: KEY })[0]).toMatch(/^STT_API_KEY: set, but STT_URL is not/);
    // A wrong key never echoes the key back in the message.
    expect(problems({ STT_API_KEY: KEY }).join()).not.toContain(KEY);
  });

  it('requires https for the provider in production (recordings and the key leave the app)', () => {
    const prod = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://insights.example.com',
      OIDC_ISSUER: 'https://example.okta.com/oauth2/default',
      OIDC_CLIENT_ID: 'client',
      OIDC_CLIENT_SECRET: 'secret',
      SESSION_SECRET: 's'.repeat(48),
      DATABASE_URL: 'postgres://app@db.internal:5432/insights',
      AUDIT_SIGNING_KEY: 'k'.repeat(64),
    };
    expect(problems({ ...prod, STT_URL: 'http://whisper.internal/v1' }).join()).toMatch(
      /STT_URL: must use https/,
    );
    expect(problems({ ...prod, STT_URL: 'https://api.openai.com/v1', STT_API_KEY: KEY })).toEqual([]);
  });
});
