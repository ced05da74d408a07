import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bareMediaType, byteLimitOf, type MediaType, tooLarge, unsupportedMedia } from './media.sniff.ts';

/** A raw file body, for the route contract and the OpenAPI document (the bytes, not JSON). */
export const FileBytes = z
  .custom<Buffer>((value) => Buffer.isBuffer(value), 'send the file bytes with their Content-Type')
  .meta({ type: 'string', format: 'binary', description: 'The file bytes' });

/** Body limit for a route taking any media type: the largest per-type limit, plus room for nothing else. */
export const mediaBodyLimit = (types: readonly MediaType[]) => Math.max(...types.map(byteLimitOf)) + 1024;

/**
 * Read the raw body into a Buffer, refusing it (413, naming the limit) as soon as it exceeds the limit of its
 * declared type: from Content-Length when the client sends one, else while streaming, so an oversize upload
 * is never buffered whole.
 */
function readBounded(request: FastifyRequest, payload: NodeJS.ReadableStream): Promise<Buffer> {
  const type = bareMediaType(request.headers['content-type']);
  const limit = byteLimitOf(type);
  if (Number(request.headers['content-length']) > limit) return Promise.reject(tooLarge(type));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limit) {
        stop();
        reject(tooLarge(type));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}

/**
 * Make an encapsulated scope accept exactly these media types as raw Buffers (parameters such as
 * `;codecs=opus` allowed) and nothing else: JSON, forms, HTML, SVG … answer 415 naming what is accepted, before
 * any of the body is read. Only the routes of this scope are affected.
 */
export function acceptMediaBodies(scope: FastifyInstance, types: readonly MediaType[]) {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser([...types], (request: FastifyRequest, payload: NodeJS.ReadableStream) =>
    readBounded(request, payload),
  );
  scope.addContentTypeParser('*', async (request: FastifyRequest) => {
    const declared = bareMediaType(request.headers['content-type']);
    throw unsupportedMedia(
      `Content-Type ${declared || '(none)'} is not accepted here; send one of ${types.join(', ')}.`,
    );
  });
}
