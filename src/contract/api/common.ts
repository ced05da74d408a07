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

export const CountRow = z.object({ key: z.string(), label: z.string(), count: z.number().int() });
export type CountRow = z.infer<typeof CountRow>;
