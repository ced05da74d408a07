import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { ROLES } from '../roles.ts';

export const Uuid = z.uuid({ error: 'must be a UUID' });
export const IsoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
export const IsoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
export const RoleSchema = z.enum(ROLES);

export const ScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('org') }),
  z.object({ kind: z.literal('teams'), teams: z.array(z.string()) }),
]);

/** Query-string booleans arrive as text. */
export const QueryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

export const PageLimit = z.coerce
  .number({ error: 'must be a number' })
  .int()
  .min(1)
  .max(LIMITS.pageSizeMax)
  .default(LIMITS.pageSizeDefault);

export const Cursor = z.string().max(LIMITS.cursor);

export const CountRow = z.object({ key: z.string(), label: z.string(), count: z.number().int() });
export type CountRow = z.infer<typeof CountRow>;
