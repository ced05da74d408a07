import type { FastifyReply } from 'fastify';
import { AppError } from '../../errors.ts';
import { sendStoredBytes, storedBytesHeaders } from '../../http/binary.ts';
import { extensionOf } from './media.sniff.ts';

/**
 * A single byte range of `size` bytes, or null to send the whole file. Media players (Safari's <audio> above
 * all) ask for ranges and will not play a recording whose server ignores them. Several ranges or a malformed
 * header are ignored (the whole file is a valid answer); a range starting past the end is 416.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [first, last] = [match[1] ?? '', match[2] ?? ''];
  if (first === '') {
    // "bytes=-500": the last 500 bytes.
    const length = Math.min(Number(last), size);
    if (length === 0) throw notSatisfiable(size);
    return { start: size - length, end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) throw notSatisfiable(size);
  if (end < start) return null;
  return { start, end };
}

function notSatisfiable(size: number): AppError {
  return new AppError(
    416,
    'Range not satisfiable',
    `The file has ${size} bytes; ask for a range within them.`,
  );
}

/**
 * Send an attachment's bytes with the safety headers of every stored upload (binary.ts: private, no-store,
 * nosniff, a sandboxing CSP) and a download name `<kind>-<id>.<ext>`; a Range request gets 206 with the same
 * headers.
 */
export function sendAttachment(
  reply: FastifyReply,
  rangeHeader: string | undefined,
  file: { id: string; kind: string; contentType: string; data: Buffer },
) {
  const filename = `${file.kind}-${file.id}.${extensionOf(file.contentType)}`;
  reply.header('accept-ranges', 'bytes');
  let range: { start: number; end: number } | null;
  try {
    range = parseRange(rangeHeader, file.data.length);
  } catch (err) {
    reply.header('content-range', `bytes */${file.data.length}`);
    throw err;
  }
  if (!range) return sendStoredBytes(reply, { bytes: file.data, contentType: file.contentType, filename });
  const part = file.data.subarray(range.start, range.end + 1);
  return storedBytesHeaders(reply, { contentType: file.contentType, filename })
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${file.data.length}`)
    .header('content-length', part.length)
    .send(part);
}
