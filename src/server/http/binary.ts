import type { FastifyReply } from 'fastify';

/**
 * The headers every stored upload is served with, whole or in part (a Range answer sets its own status and
 * Content-Range): the stored (sniff-checked) content type, never kept by shared caches or the browser
 * (`private, no-store`), never content-sniffed, and a CSP that forbids everything (`sandbox`), so even a file
 * that slipped through cannot run script on our origin if opened directly.
 */
export function storedBytesHeaders(reply: FastifyReply, file: { contentType: string; filename?: string }) {
  const disposition = file.filename
    ? `inline; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`
    : 'inline';
  return reply
    .type(file.contentType)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', disposition);
}

/** Send a whole stored upload (200) with storedBytesHeaders. */
export function sendStoredBytes(
  reply: FastifyReply,
  file: { bytes: Buffer; contentType: string; filename?: string },
) {
  return storedBytesHeaders(reply, file)
    .code(200)
    .header('content-length', file.bytes.length)
    .send(file.bytes);
}
