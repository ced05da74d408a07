import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { ROLES } from '../roles.ts';

export const Uuid = z.uuid({ error: 'must be a UUID' });
export const IsoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
export const IsoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
export const RoleSchema = z.enum(ROLES);

export const ScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({
    kind: z.literal('limited'),
    teams: z.array(z.string()).describe("Teams whose members' insights are in scope"),
    trees: z.array(Uuid).describe('Managers whose whole reporting tree is in scope (the manager included)'),
    units: z.array(z.string()).describe('Org units (departments) whose members are in scope'),
  }),
]);

/** Query-string booleans arrive as text. */
export const QueryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/** A number from the query string: "abc" is "must be a number", 500 is "must be at most 100". */
export const queryInt = (min: number, max: number) =>
  z.coerce
    .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a number' : undefined) })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const PageLimit = queryInt(1, LIMITS.pageSizeMax).default(LIMITS.pageSizeDefault);

export const Cursor = z.string().max(LIMITS.cursor);

/**
 * C0 control characters other than tab, line feed and carriage return. None belongs in anything a person types
 * or a client sends, and PostgreSQL refuses NUL in text and jsonb altogether (it would be a 500, not a 400).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
export const CONTROL_CHARACTER_MESSAGE = 'must not contain control characters (tab and line breaks are fine)';

/**
 * A request schema (body or query) that also refuses a control character in any string it holds, at any depth
 * and in record keys too, naming the field ("body.tags.2"). Applied to every exported request schema, so no
 * single text field can forget it; it does not change the schema's shape or its OpenAPI description.
 */
export function refuseControlCharacters<T extends z.ZodType>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    for (const { path, tooDeep } of controlCharacterFindings(value))
      ctx.addIssue({
        code: 'custom',
        path,
        message: tooDeep ? `must not nest deeper than ${MAX_NESTING} levels` : CONTROL_CHARACTER_MESSAGE,
        input: value,
      });
  });
}

/** No request of ours nests this deep; a deeper value is refused rather than walked (bounded work). */
export const MAX_NESTING = 32;

type Finding = { path: (string | number)[]; tooDeep: boolean };

/** Where a parsed value holds a string with a control character (an object key is named by its own path). */
export function controlCharacterPaths(value: unknown): (string | number)[][] {
  return controlCharacterFindings(value).map((f) => f.path);
}

function controlCharacterFindings(value: unknown, path: (string | number)[] = []): Finding[] {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value) ? [{ path, tooDeep: false }] : [];
  if (value === null || typeof value !== 'object' || value instanceof Date) return [];
  if (path.length >= MAX_NESTING) return [{ path, tooDeep: true }];
  if (Array.isArray(value)) return value.flatMap((item, i) => controlCharacterFindings(item, [...path, i]));
  return Object.entries(value).flatMap(([key, item]) =>
    CONTROL_CHARACTER.test(key)
      ? [{ path: [...path, key], tooDeep: false }]
      : controlCharacterFindings(item, [...path, key]),
  );
}

export const CountRow = z.object({ key: z.string(), label: z.string(), count: z.number().int() });
export type CountRow = z.infer<typeof CountRow>;
