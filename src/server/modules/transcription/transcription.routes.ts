import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AUDIO_TYPES, Transcription } from '../../../contract/api/capture.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADVOCATE_UP } from '../../plugins/access.ts';
import { requireActor } from '../../plugins/types.ts';
import { acceptMediaBodies, FileBytes, mediaBodyLimit } from '../attachments/media.body.ts';
import { bareMediaType } from '../attachments/media.sniff.ts';
import { authorizeInsight } from '../insights/insights.policy.ts';
import { type TranscriptionDeps, transcribe } from './transcription.service.ts';

/** Tighter than RATE.write: every call costs money at the provider. Per person. */
const TRANSCRIPTION_RATE = { max: 30, timeWindow: 60_000 } as const;

/** POST /api/v1/transcriptions, in its own scope: the body is raw audio, nothing else is parsed there. */
export function transcriptionRoutes(app: FastifyInstance, deps: TranscriptionDeps) {
  app.register(async (scope) => {
    acceptMediaBodies(scope, AUDIO_TYPES);
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/transcriptions',
      {
        config: {
          access: { roles: ADVOCATE_UP },
          auth: 'session',
          kind: 'api',
          rateLimit: TRANSCRIPTION_RATE,
        },
        bodyLimit: mediaBodyLimit(AUDIO_TYPES),
        // A viewer is refused before a recording of several megabytes is read.
        preParsing: async (request, _reply, payload) => {
          authorizeInsight(requireActor(request.ctx), 'create');
          return payload;
        },
        schema: {
          tags: ['insights'],
          summary: 'Turn a voice recording into text for a capture (nothing is stored)',
          description:
            'The body is the recording with its Content-Type (audio/webm, audio/ogg, audio/mp4, audio/mpeg or ' +
            'audio/wav; parameters such as `;codecs=opus` are fine), at most 8 MB, and must really be that ' +
            'type (415). 503 when the server has no speech-to-text provider and 502 when the provider fails ' +
            'or times out: in both cases keep the recording as a draft. The text is at most 5000 characters.',
          consumes: [...AUDIO_TYPES],
          querystring: z.strictObject({}),
          body: FileBytes,
          response: {
            200: Transcription,
            400: Problem,
            413: Problem,
            415: Problem,
            502: Problem,
            503: Problem,
          },
        },
      },
      async (request) =>
        transcribe(deps, request.ctx, request.log, {
          declaredType: bareMediaType(request.headers['content-type']),
          bytes: request.body,
        }),
    );
  });
}
