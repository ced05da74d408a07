import type { FastifyBaseLogger } from 'fastify';
import { AUDIO_TYPES, type Transcription } from '../../../contract/api/capture.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { checkMedia } from '../attachments/media.sniff.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeInsight } from '../insights/insights.policy.ts';
import { type SpeechToText, SpeechToTextError } from './speech-to-text.ts';

export interface TranscriptionDeps {
  /** null: no provider configured. */
  stt: SpeechToText | null;
}

/** 503: the app turns the recording into a draft the person types up; nothing was sent anywhere. */
export const notConfigured = () =>
  new AppError(
    503,
    'Transcription not configured',
    'This server has no speech-to-text provider. Keep the recording as a draft and type the text.',
  );

/** 502: never the provider's own words (they may echo the request), never the key. */
const providerFailed = () =>
  new AppError(
    502,
    'Speech-to-text provider failed',
    'The speech-to-text provider failed or did not answer in time. Keep the recording as a draft and try again later.',
  );

/**
 * Turn a voice recording into text for the capture form. Anyone who may capture insights may ask (it is part
 * of capturing); the bytes must really be one of the accepted audio types. Nothing is stored and nothing is
 * audited (no state changes); the outcome is logged without the transcript.
 */
export async function transcribe(
  deps: TranscriptionDeps,
  ctx: RequestContext,
  log: FastifyBaseLogger,
  audio: { declaredType: string; bytes: Buffer },
): Promise<Transcription> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'create');
  const contentType = checkMedia(audio.declaredType, AUDIO_TYPES, audio.bytes);
  if (!deps.stt) throw notConfigured();
  const started = performance.now();
  const outcome = { contentType, bytes: audio.bytes.length };
  try {
    const result = await deps.stt.transcribe(audio.bytes, contentType);
    const text = result.text.slice(0, LIMITS.insightText);
    log.info(
      {
        transcription: {
          ...outcome,
          outcome: 'ok',
          ms: Math.round(performance.now() - started),
          durationSeconds: result.durationSeconds,
          characters: text.length,
          truncated: text.length < result.text.length,
        },
      },
      'speech-to-text',
    );
    return { text, durationSeconds: result.durationSeconds };
  } catch (err) {
    const reason = err instanceof SpeechToTextError ? err.reason : 'error';
    const providerStatus = err instanceof SpeechToTextError ? err.providerStatus : null;
    log.warn(
      {
        transcription: {
          ...outcome,
          outcome: 'failed',
          reason,
          providerStatus,
          ms: Math.round(performance.now() - started),
        },
      },
      'speech-to-text',
    );
    throw providerFailed();
  }
}
