import { z } from 'zod';
import { EVENT_TYPES, idsOf, REGIONS } from '../taxonomy.ts';
import { IsoDate, IsoDateTime, QueryBoolean, Uuid } from './common.ts';

export const EventSessionSummary = z.object({
  id: Uuid,
  title: z.string(),
  speaker: z.string().nullable(),
  room: z.string().nullable(),
  startsAt: IsoDateTime.nullable(),
});

export const EventSummary = z.object({
  id: Uuid,
  name: z.string(),
  eventType: z.enum(idsOf(EVENT_TYPES)),
  region: z.enum(idsOf(REGIONS)).nullable(),
  location: z.string().nullable(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  isActive: z.boolean(),
  sessions: z.array(EventSessionSummary),
});
export type EventSummary = z.infer<typeof EventSummary>;

export const EventListQuery = z.strictObject({
  active: QueryBoolean.optional().describe('true: only events shown in the capture picker'),
});

export const EventList = z.object({ items: z.array(EventSummary) });
export type EventList = z.infer<typeof EventList>;
