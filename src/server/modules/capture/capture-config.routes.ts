import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CaptureConfig } from '../../../contract/api/capture.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { Problem } from '../../../contract/problem.ts';
import { ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';

export interface CaptureConfigDeps {
  /** Whether a speech-to-text provider is configured (never which one, nor its key). */
  transcriptionEnabled: boolean;
  /** The running server's version, as the OpenAPI document and the logs report it. */
  version: string;
}

/** What the capture app asks once per session (and caches) to decide before recording or uploading. */
export function captureConfigRoutes(app: FastifyInstance, deps: CaptureConfigDeps) {
  const body: CaptureConfig = {
    transcription: { enabled: deps.transcriptionEnabled, maxSeconds: LIMITS.audioSeconds },
    limits: {
      photoBytes: LIMITS.photoBytes,
      audioBytes: LIMITS.audioBytes,
      attachmentsPerInsight: LIMITS.attachmentsPerInsight,
      syncBatchMax: LIMITS.syncBatchMax,
    },
    serverVersion: deps.version,
  };
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/capture/config',
    {
      config: {
        access: { roles: ANY_ROLE },
        auth: 'session_or_token',
        tokenScope: 'insights:read',
        kind: 'api',
        rateLimit: RATE.read,
      },
      schema: {
        tags: ['insights'],
        summary: 'Capture settings: whether speech-to-text is available, the size limits, the server version',
        querystring: z.strictObject({}),
        response: { 200: CaptureConfig, 400: Problem },
      },
    },
    async () => body,
  );
}
