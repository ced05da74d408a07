import { type AttachmentKind, AUDIO_TYPES, PHOTO_TYPES } from '../../../contract/api/capture.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { AppError } from '../../errors.ts';
import { type AudioType, sniffAudioType, sniffImageType } from '../../http/sniff.ts';

export type PhotoType = (typeof PHOTO_TYPES)[number];
export type MediaType = PhotoType | AudioType;

/** Photos by the image sniffer shared with bug-report screenshots, audio by ours. */
export function sniffMediaType(bytes: Uint8Array): MediaType | null {
  return sniffImageType(bytes) ?? sniffAudioType(bytes);
}

/** "audio/webm;codecs=opus" → "audio/webm": parameters are the recorder's business, we store the media type. */
export function bareMediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export const TYPES_OF_KIND: Record<AttachmentKind, readonly MediaType[]> = {
  photo: PHOTO_TYPES,
  audio: AUDIO_TYPES,
};

const isPhotoType = (type: string): type is PhotoType => (PHOTO_TYPES as readonly string[]).includes(type);

/** The most bytes a body of this media type may have: a photo's limit for images, a recording's for audio. */
export function byteLimitOf(type: string): number {
  return isPhotoType(type) ? LIMITS.photoBytes : LIMITS.audioBytes;
}

const MB = 1024 * 1024;

export function tooLarge(type: string): AppError {
  const what = isPhotoType(type) ? 'A photo' : 'A recording';
  const limit = byteLimitOf(type);
  return new AppError(
    413,
    'Payload too large',
    `${what} can be at most ${limit / MB} MB (${limit} bytes); this one is larger.`,
  );
}

export function unsupportedMedia(detail: string): AppError {
  return new AppError(415, 'Unsupported media type', detail);
}

/**
 * Check bytes declared as `declared` against what the caller may send (`accepted`) and what the bytes really
 * are. Returns the media type to store. The declared type must be accepted AND equal the sniffed one: HTML or
 * SVG labelled image/png, or a recording labelled as a photo, is refused with 415 and never stored.
 */
export function checkMedia(declared: string, accepted: readonly MediaType[], bytes: Buffer): MediaType {
  const type = accepted.find((t) => t === declared);
  if (!type) {
    throw unsupportedMedia(
      `Content-Type ${declared || '(none)'} is not accepted here; send one of ${accepted.join(', ')}.`,
    );
  }
  if (bytes.length > byteLimitOf(type)) throw tooLarge(type);
  const sniffed = sniffMediaType(bytes);
  if (sniffed !== type) {
    throw unsupportedMedia(
      `The bytes are not ${type}${sniffed ? ` (they look like ${sniffed})` : ''}; send the file with its real Content-Type.`,
    );
  }
  return type;
}

const EXTENSIONS: Record<MediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
};

/** A file extension for a stored or sent media type (file names in downloads and in provider uploads). */
export function extensionOf(type: string): string {
  return EXTENSIONS[type as MediaType] ?? 'bin';
}
