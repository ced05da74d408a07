import { z } from 'zod';
import type { SpeechToTextSettings } from '../../config.ts';
import { readCapped } from '../../http/read-capped.ts';
import { extensionOf } from '../attachments/media.sniff.ts';

export interface TranscriptionResult {
  text: string;
  durationSeconds: number | null;
}

/** A speech-to-text provider. One implementation today (OpenAI-compatible HTTP); app.ts picks it from config. */
export interface SpeechToText {
  transcribe(audio: Buffer, contentType: string): Promise<TranscriptionResult>;
}

/**
 * Why a provider call failed, for logs and metrics only: never the provider's body (it may echo the audio's
 * words or our request) and never the key.
 */
export type SpeechToTextFailure = 'timeout' | 'unreachable' | 'http_status' | 'invalid_response';

export class SpeechToTextError extends Error {
  readonly reason: SpeechToTextFailure;
  readonly providerStatus: number | null;
  constructor(reason: SpeechToTextFailure, providerStatus: number | null = null) {
    super(`speech-to-text provider failed: ${reason}${providerStatus ? ` (HTTP ${providerStatus})` : ''}`);
    this.name = 'SpeechToTextError';
    this.reason = reason;
    this.providerStatus = providerStatus;
  }
}

/** A transcript is a few kilobytes; anything much larger is not an answer we asked for. */
const MAX_ANSWER_BYTES = 1024 * 1024;

const Answer = z.object({
  text: z.string(),
  duration: z.coerce.number().nonnegative().optional().catch(undefined),
});

async function readAnswer(response: Response): Promise<string> {
  const text = await readCapped(response, MAX_ANSWER_BYTES);
  if (text === null) throw new SpeechToTextError('invalid_response');
  return text;
}

/**
 * The gpt-4o transcription models answer only `json`; whisper-1 and the self-hosted Whisper servers also
 * answer `verbose_json`, which carries the recording's duration.
 */
const responseFormatFor = (model: string) => (model.startsWith('gpt-4o') ? 'json' : 'verbose_json');

/**
 * OpenAI's `POST /audio/transcriptions` and the many servers that copy it (self-hosted Whisper, Groq,
 * LocalAI …): multipart with the file, the model and the response format; the key as a bearer token.
 */
export function openAiCompatibleSpeechToText(settings: SpeechToTextSettings): SpeechToText {
  return {
    async transcribe(audio, contentType) {
      const form = new FormData();
      form.append(
        'file',
        new Blob([new Uint8Array(audio)], { type: contentType }),
        `recording.${extensionOf(contentType)}`,
      );
      form.append('model', settings.model);
      form.append('response_format', responseFormatFor(settings.model));
      const headers: Record<string, string> = { accept: 'application/json' };
      if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
      // One deadline for the whole exchange, the answer's body included.
      const signal = AbortSignal.timeout(settings.timeoutMs);
      let body: string;
      try {
        const response = await fetch(`${settings.url}/audio/transcriptions`, {
          method: 'POST',
          body: form,
          headers,
          signal,
          redirect: 'error',
        });
        if (!response.ok) {
          await response.body?.cancel();
          throw new SpeechToTextError('http_status', response.status);
        }
        body = await readAnswer(response);
      } catch (err) {
        if (err instanceof SpeechToTextError) throw err;
        throw new SpeechToTextError(signal.aborted ? 'timeout' : 'unreachable');
      }
      let parsed: z.infer<typeof Answer>;
      try {
        parsed = Answer.parse(JSON.parse(body));
      } catch {
        throw new SpeechToTextError('invalid_response');
      }
      return { text: parsed.text.trim(), durationSeconds: parsed.duration ?? null };
    },
  };
}

/** The configured provider, or null when none is (transcription off: the app keeps voice captures as drafts). */
export function speechToTextFrom(settings: SpeechToTextSettings | null): SpeechToText | null {
  return settings ? openAiCompatibleSpeechToText(settings) : null;
}
