import type { AUDIO_TYPES } from '../../contract/api/capture.ts';

/**
 * What uploaded bytes are, by their magic numbers rather than by what the client says. A declared type must
 * match before bytes are stored, so nothing stored can later be served as something a browser would run.
 */
const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

export type AudioType = (typeof AUDIO_TYPES)[number];

/** The image types the app uploads (photos, bug screenshots). Anything else is refused, SVG and HTML above all. */
export type SniffedImageType = 'image/jpeg' | 'image/png' | 'image/webp';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * What the bytes are, by their magic numbers, not by what the client says: JPEG (FF D8 FF), PNG (its 8-byte
 * signature), WebP (RIFF····WEBP). null for anything else. A declared type must match this before bytes are
 * stored, so nothing stored can later be served as something a browser would run.
 */
export function sniffImageType(bytes: Uint8Array): SniffedImageType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/**
 * What audio the bytes are, by their magic numbers: WebM/Matroska (1A 45 DF A3), Ogg ("OggS"), MP4 ("ftyp"
 * at offset 4), WAV (RIFF····WAVE), MP3 (an "ID3" tag, or an MPEG frame sync FF Ex/FF Fx). null otherwise.
 */
export function sniffAudioType(bytes: Uint8Array): AudioType | null {
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'audio/webm';
  if (startsWith(bytes, ascii('OggS'))) return 'audio/ogg';
  if (startsWith(bytes, ascii('ftyp'), 4)) return 'audio/mp4';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WAVE'), 8)) return 'audio/wav';
  if (startsWith(bytes, ascii('ID3'))) return 'audio/mpeg';
  if (bytes.length >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) return 'audio/mpeg';
  return null;
}
