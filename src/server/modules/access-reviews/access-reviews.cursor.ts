import { ValidationError } from '../../errors.ts';

/**
 * Opaque cursors for lists not ordered by (timestamp, id) — the reviewer inbox (due date, campaign, subject,
 * item) and a campaign's items (subject, item): the cursor names the last item seen, and the next page starts
 * after that item's sort keys, which never change (a campaign's due date and an item's frozen subject name).
 * Short whatever the names are; not secret, only opaque; validated on the way back in.
 */
export function encodeItemCursor(itemId: string): string {
  return Buffer.from(JSON.stringify([itemId])).toString('base64url');
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeItemCursor(cursor: string, field = 'query.cursor'): string {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 1 &&
      typeof value[0] === 'string' &&
      UUID_PATTERN.test(value[0])
    )
      return value[0];
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('The cursor is not one this server issued.', [
    { field, message: 'is not a valid cursor; use nextCursor from the previous page' },
  ]);
}
