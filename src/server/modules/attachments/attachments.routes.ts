import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Attachment,
  AttachmentList,
  AttachmentParams,
  AttachmentUploadQuery,
  AUDIO_TYPES,
  PHOTO_TYPES,
} from '../../../contract/api/capture.ts';
import { Uuid } from '../../../contract/api/common.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADVOCATE_UP, ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { requireActor } from '../../plugins/types.ts';
import { authorizeInsight } from '../insights/insights.policy.ts';
import { idOrNull, syncItemHook } from '../insights/sync.metrics.ts';
import { sendAttachment } from './attachments.download.ts';
import {
  type AttachmentDeps,
  listAttachments,
  readAttachmentBytes,
  uploadAttachment,
} from './attachments.service.ts';
import { acceptMediaBodies, FileBytes, mediaBodyLimit } from './media.body.ts';
import { bareMediaType } from './media.sniff.ts';

const MEDIA_TYPES = [...PHOTO_TYPES, ...AUDIO_TYPES];
const session = { auth: 'session_or_token', kind: 'api' } as const;
const errors = { 400: Problem, 404: Problem };

/** The bytes answer, per stored media type (the OpenAPI document lists each). */
const fileResponse = (description: string) => ({
  description,
  content: Object.fromEntries(MEDIA_TYPES.map((type) => [type, { schema: FileBytes }])),
});

/**
 * Refuse a role that can never attach before reading a body of several megabytes (the service decides again,
 * per insight, once the body is in).
 */
async function refuseNonEditors(request: FastifyRequest) {
  authorizeInsight(requireActor(request.ctx), 'update');
}

/**
 * Photos and voice recordings of an insight. Registered in their own scope: the raw-bytes body parsers
 * (image and audio types only, each with its own size limit) apply to these routes and no other.
 */
export function attachmentRoutes(app: FastifyInstance, deps: AttachmentDeps) {
  app.register(async (scope) => {
    acceptMediaBodies(scope, MEDIA_TYPES);
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.put(
      '/api/v1/insights/:id/attachments/:attachmentId',
      {
        config: {
          ...session,
          access: { roles: ADVOCATE_UP, record: 'insight' },
          tokenScope: 'insights:write',
          rateLimit: RATE.write,
        },
        bodyLimit: mediaBodyLimit(MEDIA_TYPES),
        preParsing: async (request, _reply, payload) => {
          await refuseNonEditors(request);
          return payload;
        },
        onResponse: syncItemHook('attachment', (request) => {
          const params = request.params as { id?: unknown; attachmentId?: unknown };
          return { itemId: idOrNull(params.attachmentId), insightId: idOrNull(params.id) };
        }),
        schema: {
          tags: ['insights'],
          summary: 'Attach a photo or voice recording to an insight (idempotent on the client-generated id)',
          description:
            'The body is the file itself with its Content-Type (image/jpeg, image/png, image/webp for ' +
            '`kind=photo`; audio/webm, audio/ogg, audio/mp4, audio/mpeg, audio/wav for `kind=audio`; ' +
            'parameters such as `;codecs=opus` are fine). The bytes must really be that type (415 otherwise). ' +
            '201 when stored; 200 with the stored attachment when this id already holds the same file for ' +
            'this insight; 409 when the id holds something else, or the insight has its maximum of ' +
            'attachments. 413 above 3 MB for a photo or 8 MB for a recording. Author, or a manager or admin ' +
            'in scope.',
          consumes: MEDIA_TYPES,
          params: AttachmentParams,
          querystring: AttachmentUploadQuery,
          body: FileBytes,
          response: {
            200: Attachment,
            201: Attachment,
            ...errors,
            409: Problem,
            413: Problem,
            415: Problem,
          },
        },
      },
      async (request, reply) => {
        const { attachment, created } = await uploadAttachment(deps, request.ctx, {
          insightId: request.params.id,
          attachmentId: request.params.attachmentId,
          kind: request.query.kind,
          declaredType: bareMediaType(request.headers['content-type']),
          bytes: request.body,
        });
        return reply.code(created ? 201 : 200).send(attachment);
      },
    );

    r.get(
      '/api/v1/insights/:id/attachments',
      {
        config: {
          ...session,
          access: { roles: ANY_ROLE, record: 'insight' },
          tokenScope: 'insights:read',
          rateLimit: RATE.read,
        },
        schema: {
          tags: ['insights'],
          summary: "An insight's photos and recordings (metadata; each `url` serves the bytes)",
          params: z.strictObject({ id: Uuid }),
          querystring: z.strictObject({}),
          response: { 200: AttachmentList, ...errors },
        },
      },
      async (request) => listAttachments(deps, request.ctx, request.params.id),
    );

    r.get(
      '/api/v1/insights/:id/attachments/:attachmentId',
      {
        config: {
          ...session,
          access: { roles: ANY_ROLE, record: 'insight' },
          tokenScope: 'insights:read',
          rateLimit: RATE.read,
        },
        schema: {
          tags: ['insights'],
          summary: 'The bytes of one photo or recording; 404 unless you may see its insight',
          description:
            'Served with its stored type, never cached (private, no-store), never sniffed, and with a ' +
            'sandboxing Content-Security-Policy. Supports a single `Range: bytes=…` (206) so media players can seek.',
          params: AttachmentParams,
          querystring: z.strictObject({}),
          response: {
            200: fileResponse('The file bytes'),
            206: fileResponse('The requested byte range'),
            ...errors,
            416: Problem,
          },
        },
      },
      async (request, reply) => {
        const file = await readAttachmentBytes(
          deps,
          request.ctx,
          request.params.id,
          request.params.attachmentId,
        );
        return sendAttachment(reply, request.headers.range, file);
      },
    );
  });
}
