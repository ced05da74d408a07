import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Transcription } from '../../src/contract/api/capture.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { type FakeProvider, type SeenRequest, startFakeProvider } from '../helpers/fake-provider.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

type Mode = { kind: 'ok'; text: string; duration?: number } | { kind: 'fail' } | { kind: 'hang' };

const API_KEY = 'sk-test-not-a-real-key-0123456789';
const PROVIDER_SECRET_TEXT = 'internal provider stack: quota exceeded for org-123';

let provider: FakeProvider;
let mode: Mode = { kind: 'ok', text: 'hello' };
let configured: TestStack;
let unconfigured: TestStack;
let ari: Session;
let victor: Session;

/** The fake OpenAI-compatible speech-to-text API: answers as `mode` says. */
function answer(_request: SeenRequest, response: ServerResponse) {
  if (mode.kind === 'hang') return; // never answers
  if (mode.kind === 'fail') {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: PROVIDER_SECRET_TEXT } }));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ text: mode.text, duration: mode.duration, language: 'english' }));
}

const webm = (size = 256) =>
  Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(size - 4, 7)]);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

function transcribe(who: Session, contentType: string, bytes: Buffer) {
  return who.fetch('/api/v1/transcriptions', {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-csrf-token': who.csrf },
    body: new Uint8Array(bytes),
  });
}

beforeAll(async () => {
  provider = await startFakeProvider(answer);
  configured = await startStack({
    env: { STT_URL: `${provider.origin}/v1/`, STT_API_KEY: API_KEY, STT_TIMEOUT_MS: '400' },
  });
  unconfigured = await startStack();
  [ari, victor] = [await configured.signIn('Ari'), await configured.signIn('Victor')];
});
afterAll(async () => {
  await provider?.close();
  await configured?.close();
  await unconfigured?.close();
});
beforeEach(() => {
  provider.seen.length = 0;
  mode = { kind: 'ok', text: 'hello' };
});

describe('speech-to-text', () => {
  it('sends the recording as multipart (file, model, bearer key) and answers the text and duration', async () => {
    mode = { kind: 'ok', text: '  The vector search latency doubled after the upgrade.  ', duration: 4.25 };
    const audio = webm(2048);
    const response = await transcribe(ari, 'audio/webm;codecs=opus', audio);
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await response.json()) as Transcription).toEqual({
      text: 'The vector search latency doubled after the upgrade.',
      durationSeconds: 4.25,
    });

    expect(provider.seen).toHaveLength(1);
    const [call] = provider.seen as [SeenRequest];
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/v1/audio/transcriptions');
    expect(call.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const form = await new Request('http://provider.test/', {
      method: 'POST',
      headers: { 'content-type': String(call.headers['content-type']) },
      body: new Uint8Array(call.body),
    }).formData();
    expect(form.get('model')).toBe('whisper-1');
    expect(form.get('response_format')).toBe('verbose_json');
    const file = form.get('file') as File;
    expect(file.name).toBe('recording.webm');
    expect(file.type).toBe('audio/webm');
    expect(Buffer.from(await file.arrayBuffer()).equals(audio)).toBe(true);

    // The outcome is logged; the transcript and the key never are.
    const logged = JSON.stringify(configured.logs);
    expect(logged).toContain('"outcome":"ok"');
    expect(logged).not.toContain('vector search latency');
    expect(logged).not.toContain(API_KEY);
  });

  it(`cuts a transcript to ${LIMITS.insightText} characters, the most an insight holds`, async () => {
    mode = { kind: 'ok', text: 'word '.repeat(2000) };
    const response = await transcribe(
      ari,
      'audio/ogg',
      Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60)]),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Transcription;
    expect(body.text).toHaveLength(LIMITS.insightText);
    expect(body.durationSeconds).toBeNull();
  });

  it('answers 502 when the provider fails, without a word of what the provider said', async () => {
    mode = { kind: 'fail' };
    const response = await transcribe(ari, 'audio/webm', webm());
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ title: 'Speech-to-text provider failed', status: 502 });
    expect(text).not.toContain('quota');
    expect(text).not.toContain(API_KEY);
    expect(JSON.stringify(configured.logs)).not.toContain('quota exceeded');
    expect(provider.seen).toHaveLength(1);
  });

  it('answers 502 when the provider does not answer within the timeout', async () => {
    mode = { kind: 'hang' };
    const started = Date.now();
    const response = await transcribe(ari, 'audio/webm', webm());
    const elapsed = Date.now() - started;
    expect(response.status).toBe(502);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(5_000);
    const failure = configured.logs.find(
      (line) => (line.transcription as { reason?: string } | undefined)?.reason === 'timeout',
    );
    expect(failure).toBeDefined();
  });

  it('answers 503 when no provider is configured, so the app keeps a draft', async () => {
    const maya = await unconfigured.signIn('Maya');
    const response = await transcribe(maya, 'audio/webm', webm());
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      type: 'https://builder-insights.dev/problems/transcription-not-configured',
      title: 'Transcription not configured',
    });
  });

  it('refuses anything but real audio (415) and never calls the provider with it', async () => {
    const cases: [string, Buffer][] = [
      ['image/png', png],
      ['text/html', Buffer.from('<html><script>alert(1)</script></html>')],
      ['application/json', Buffer.from('{"text":"x"}')],
      ['audio/webm', png], // declared audio, is an image
      ['audio/wav', webm()], // declared WAV, is WebM
      ['audio/x-unknown', webm()],
    ];
    for (const [type, bytes] of cases) {
      const response = await transcribe(ari, type, bytes);
      expect({ type, status: response.status }).toEqual({ type, status: 415 });
    }
    expect(provider.seen).toHaveLength(0);
  });

  it('refuses a recording over the audio limit (413) before reading it', async () => {
    const response = await transcribe(ari, 'audio/webm', webm(LIMITS.audioBytes + 1));
    expect(response.status).toBe(413);
    expect(provider.seen).toHaveLength(0);
  });

  it('refuses a viewer (403) and an API token (401: sessions only), never calling the provider', async () => {
    expect((await transcribe(victor, 'audio/webm', webm())).status).toBe(403);
    const withToken = await fetch(`${configured.baseUrl}/api/v1/transcriptions`, {
      method: 'POST',
      headers: { authorization: 'Bearer bi_pat_whatever', 'content-type': 'audio/webm' },
      body: new Uint8Array(webm()),
    });
    expect(withToken.status).toBe(401);
    expect(provider.seen).toHaveLength(0);
  });
});
