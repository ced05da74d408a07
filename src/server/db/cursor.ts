import { ValidationError } from '../errors.ts';

/**
 * Opaque keyset cursors for lists ordered by (timestamp desc, id desc): stable under concurrent inserts and
 * never an OFFSET scan. The content is not secret, only opaque; the server validates it on the way back in.
 */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'query.cursor'): { at: Date; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      const at = new Date(value[0]);
      if (!Number.isNaN(at.getTime()) && /^[0-9a-f-]{36}$/i.test(value[1])) return { at, id: value[1] };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('The cursor is not one this server issued.', [
    { field, message: 'is not a valid cursor; use nextCursor from the previous page' },
  ]);
}
