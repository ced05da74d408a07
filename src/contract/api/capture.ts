import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';

/**
 * What the capture app needs to know about the server beyond the taxonomy (which ships in the bundle):
 * whether speech-to-text is configured and the size limits, so it can decide before recording or uploading.
 */
export const CaptureConfig = z.object({
  transcription: z.object({
    enabled: z.boolean().describe('false: no speech-to-text provider; voice captures become drafts to type'),
    maxSeconds: z.number().int(),
  }),
  limits: z.object({
    photoBytes: z.number().int(),
    audioBytes: z.number().int(),
    attachmentsPerInsight: z.number().int(),
    syncBatchMax: z.number().int(),
  }),
  serverVersion: z.string(),
});
export type CaptureConfig = z.infer<typeof CaptureConfig>;

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const AUDIO_TYPES = ['audio/webm', 'audio/ogg', 'audio/mp4', 'audio/mpeg', 'audio/wav'] as const;
export const ATTACHMENT_KIND_VALUES = ['photo', 'audio'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KIND_VALUES)[number];

export const AttachmentParams = z.strictObject({ id: Uuid, attachmentId: Uuid });
export const AttachmentUploadQuery = refuseControlCharacters(
  z.strictObject({ kind: z.enum(ATTACHMENT_KIND_VALUES) }),
);

export const Attachment = z.object({
  id: Uuid,
  insightId: Uuid,
  kind: z.enum(ATTACHMENT_KIND_VALUES),
  contentType: z.string(),
  byteSize: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.object({ id: Uuid, name: z.string() }),
  createdAt: IsoDateTime,
  url: z.string().describe('GET this (same session) for the bytes; only people who may see the insight can'),
});
export type Attachment = z.infer<typeof Attachment>;

export const AttachmentList = z.object({ items: z.array(Attachment) });
export type AttachmentList = z.infer<typeof AttachmentList>;

export const Transcription = z.object({
  text: z.string().max(LIMITS.insightText),
  durationSeconds: z.number().nullable(),
});
export type Transcription = z.infer<typeof Transcription>;
