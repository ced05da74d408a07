import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import {
  ACCOUNT_SEGMENTS,
  ASSIGNMENT_ROLES,
  ATTENDANCE_MODES,
  ENGAGEMENT_TYPES,
  EVENT_STATUSES,
  TRAVEL_STATUSES,
} from '../program.ts';
import { EVENT_TYPES, INSIGHT_TYPES, idsOf, PRIORITIES, REGIONS, SENTIMENTS } from '../taxonomy.ts';
import {
  Cursor,
  IsoDate,
  IsoDateTime,
  PageLimit,
  QueryBoolean,
  refuseControlCharacters,
  Uuid,
} from './common.ts';

export const EventTypeSchema = z.enum(idsOf(EVENT_TYPES));
export const RegionSchema = z.enum(idsOf(REGIONS));
export const EventStatusSchema = z.enum(idsOf(EVENT_STATUSES));
export const EngagementTypeSchema = z.enum(idsOf(ENGAGEMENT_TYPES));
export const AttendanceSchema = z.enum(idsOf(ATTENDANCE_MODES));
export const AccountSegmentSchema = z.enum(idsOf(ACCOUNT_SEGMENTS));
export const TravelStatusSchema = z.enum(idsOf(TRAVEL_STATUSES));
export const AssignmentRoleSchema = z.enum(idsOf(ASSIGNMENT_ROLES));

const PersonRef = z.object({ id: Uuid, name: z.string() });

// ---------------------------------------------------------------------------------------------------------
// The capture picker (kept small: the PWA caches it for offline use)
// ---------------------------------------------------------------------------------------------------------

export const EventSessionSummary = z.object({
  id: Uuid,
  title: z.string(),
  speaker: z.string().nullable(),
  room: z.string().nullable(),
  startsAt: IsoDateTime.nullable(),
});

/** An active event as the capture picker shows it, with its sessions. */
export const EventSummary = z.object({
  id: Uuid,
  name: z.string(),
  eventType: EventTypeSchema,
  region: RegionSchema.nullable(),
  location: z.string().nullable(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  isActive: z.boolean(),
  /** The caller is assigned to it (the picker lists these first). */
  assignedToMe: z.boolean(),
  sessions: z.array(EventSessionSummary),
});
export type EventSummary = z.infer<typeof EventSummary>;

/** GET /api/v1/events/picker: every active event (assigned to the caller first, then by start date). */
export const EventList = z.object({ items: z.array(EventSummary) });
export type EventList = z.infer<typeof EventList>;

/** GET /api/v1/events/options: id + name for filter drop-downs (searchable, bounded). */
export const EventOptionsQuery = refuseControlCharacters(
  z.strictObject({
    q: z.string().trim().max(LIMITS.eventName).optional(),
    limit: PageLimit,
  }),
);
export const EventOptions = z.object({
  items: z.array(z.object({ id: Uuid, name: z.string(), startsOn: IsoDate })),
});
export type EventOptions = z.infer<typeof EventOptions>;

// ---------------------------------------------------------------------------------------------------------
// The program office's calendar
// ---------------------------------------------------------------------------------------------------------

export const EVENT_SORTS = ['starts_desc', 'starts_asc', 'name'] as const;

export const EventListQuery = refuseControlCharacters(
  z.strictObject({
    q: z.string().trim().max(LIMITS.eventName).optional().describe('Search in name, location and account'),
    status: EventStatusSchema.optional(),
    region: RegionSchema.optional(),
    eventType: EventTypeSchema.optional(),
    quarter: z.string().trim().max(LIMITS.eventQuarter).optional(),
    active: QueryBoolean.optional().describe('true: only events shown in the capture picker'),
    from: IsoDate.optional().describe('Events ending on or after this day'),
    to: IsoDate.optional().describe('Events starting on or before this day'),
    assignedTo: z
      .union([z.literal('me'), Uuid])
      .optional()
      .describe('Events this person is assigned to'),
    manageable: QueryBoolean.optional().describe('true: only events the caller may edit'),
    sort: z.enum(EVENT_SORTS).default('starts_desc'),
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);
export type EventListQuery = z.input<typeof EventListQuery>;

export const EventListItem = z.object({
  id: Uuid,
  name: z.string(),
  quarter: z.string().nullable(),
  status: EventStatusSchema,
  eventType: EventTypeSchema,
  engagementType: EngagementTypeSchema.nullable(),
  region: RegionSchema.nullable(),
  attendance: AttendanceSchema,
  location: z.string().nullable(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  isActive: z.boolean(),
  accountName: z.string().nullable(),
  accountSegment: AccountSegmentSchema.nullable(),
  owner: PersonRef.nullable(),
  sessionCount: z.number().int(),
  assignedCount: z.number().int(),
  /** Insights linked to the event within the caller's insight scope. */
  insightCount: z.number().int(),
  canManage: z.boolean(),
});
export type EventListItem = z.infer<typeof EventListItem>;

export const EventPage = z.object({ items: z.array(EventListItem), nextCursor: z.string().nullable() });
export type EventPage = z.infer<typeof EventPage>;

// ---------------------------------------------------------------------------------------------------------
// One event
// ---------------------------------------------------------------------------------------------------------

export const EventSession = EventSessionSummary.extend({
  eventId: Uuid,
  endsAt: IsoDateTime.nullable(),
  audienceSize: z.number().int().nullable(),
  commonQuestions: z.string().nullable(),
  resonantDemos: z.string().nullable(),
  engagementNotes: z.string().nullable(),
  /** Insights captured in this session (caller's scope). */
  insightCount: z.number().int(),
  version: z.number().int(),
  updatedAt: IsoDateTime,
});
export type EventSession = z.infer<typeof EventSession>;

export const EventAssignment = z.object({
  person: PersonRef.extend({ team: z.string().nullable() }),
  role: AssignmentRoleSchema,
});

/** Capture coverage: how many insights each assigned advocate captured at the event (caller's scope). */
export const EventCoverage = z.object({
  totalInsights: z.number().int(),
  assigned: z.array(
    z.object({
      person: PersonRef,
      role: AssignmentRoleSchema,
      insights: z.number().int(),
      /** False when the person is outside the caller's insight scope (their count is then not shown: 0). */
      inScope: z.boolean(),
    }),
  ),
  /** People who captured at the event without being assigned to it. */
  unassigned: z.array(z.object({ person: PersonRef, insights: z.number().int() })),
  /** Assigned advocates in scope who captured nothing yet. */
  assignedWithoutInsights: z.number().int(),
});
export type EventCoverage = z.infer<typeof EventCoverage>;

export const LinkedInsight = z.object({
  id: Uuid,
  title: z.string().nullable(),
  excerpt: z.string(),
  type: z.enum(idsOf(INSIGHT_TYPES)),
  sentiment: z.enum(idsOf(SENTIMENTS)),
  priority: z.enum(idsOf(PRIORITIES)),
  sessionId: Uuid.nullable(),
  author: PersonRef,
  capturedAt: IsoDateTime,
});

export const EventDetail = EventListItem.extend({
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  timezone: z.string().nullable(),
  champion: z.string().nullable(),
  marketer: z.string().nullable(),
  eventUrl: z.string().nullable(),
  trackerUrl: z.string().nullable(),
  salesforceUrl: z.string().nullable(),
  slackChannel: z.string().nullable(),
  techStack: z.array(z.string()),
  travelStatus: TravelStatusSchema.nullable(),
  assignments: z.array(EventAssignment),
  sessions: z.array(EventSession),
  coverage: EventCoverage,
  /** The newest linked insights (the full list is /admin/insights?eventId=…). */
  latestInsights: z.array(LinkedInsight),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type EventDetail = z.infer<typeof EventDetail>;

// ---------------------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------------------

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(LIMITS.eventUrl)
  .nullable()
  .optional();

/** The event's fields, as created and edited. Dates are calendar days; ends on or after it starts. */
const eventFields = {
  name: z.string().trim().min(1, 'must not be empty').max(LIMITS.eventName),
  eventType: EventTypeSchema,
  startsOn: IsoDate,
  endsOn: IsoDate,
  isActive: z.boolean().optional(),
  quarter: z
    .string()
    .trim()
    .max(LIMITS.eventQuarter)
    .regex(/^Q[1-4] FY\d{2}$/, 'must look like "Q4 FY26"')
    .nullable()
    .optional(),
  status: EventStatusSchema.optional(),
  engagementType: EngagementTypeSchema.nullable().optional(),
  region: RegionSchema.nullable().optional(),
  attendance: AttendanceSchema.optional(),
  location: optionalText(LIMITS.eventText),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  timezone: z
    .string()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin')
    .nullable()
    .optional(),
  accountName: optionalText(LIMITS.eventText),
  accountSegment: AccountSegmentSchema.nullable().optional(),
  champion: optionalText(LIMITS.eventText),
  marketer: optionalText(LIMITS.eventText),
  eventUrl: httpUrl,
  trackerUrl: httpUrl,
  salesforceUrl: httpUrl,
  slackChannel: z
    .string()
    .trim()
    .regex(/^#?[a-z0-9][a-z0-9._-]{0,79}$/, 'must be a Slack channel name such as #devday-berlin')
    .nullable()
    .optional(),
  techStack: z.array(z.string().trim().min(1).max(LIMITS.tag)).max(LIMITS.eventTechStack).optional(),
  travelStatus: TravelStatusSchema.nullable().optional(),
  ownerId: Uuid.nullable().optional().describe('Accountable person; defaults to the creator'),
  assignments: z
    .array(z.strictObject({ personId: Uuid, role: AssignmentRoleSchema }))
    .max(LIMITS.eventAssignments)
    .refine((list) => new Set(list.map((a) => a.personId)).size === list.length, 'must not repeat a person')
    .optional(),
};

const datesInOrder = (value: { startsOn?: string | undefined; endsOn?: string | undefined }) =>
  !value.startsOn || !value.endsOn || value.endsOn >= value.startsOn;
const datesIssue = { message: 'must be on or after startsOn', path: ['endsOn'] };

export const EventCreate = refuseControlCharacters(
  z.strictObject(eventFields).refine(datesInOrder, datesIssue),
);
export type EventCreate = z.input<typeof EventCreate>;

/** A partial edit: only the fields sent change; `version` is the version the edit started from. */
export const EventUpdate = refuseControlCharacters(
  z
    .strictObject({
      ...eventFields,
      name: eventFields.name.optional(),
      eventType: eventFields.eventType.optional(),
      startsOn: eventFields.startsOn.optional(),
      endsOn: eventFields.endsOn.optional(),
      version: z.number().int().min(1),
    })
    .refine(datesInOrder, datesIssue),
);
export type EventUpdate = z.input<typeof EventUpdate>;

const sessionFields = {
  title: z.string().trim().min(1, 'must not be empty').max(LIMITS.eventName),
  speaker: optionalText(LIMITS.eventText),
  room: optionalText(LIMITS.eventText),
  startsAt: IsoDateTime.nullable().optional(),
  endsAt: IsoDateTime.nullable().optional(),
  audienceSize: z.number().int().min(0).max(1_000_000).nullable().optional(),
  commonQuestions: optionalText(LIMITS.sessionNotes),
  resonantDemos: optionalText(LIMITS.sessionNotes),
  engagementNotes: optionalText(LIMITS.sessionNotes),
};
const timesInOrder = (value: { startsAt?: string | null | undefined; endsAt?: string | null | undefined }) =>
  !value.startsAt || !value.endsAt || Date.parse(value.endsAt) >= Date.parse(value.startsAt);
const timesIssue = { message: 'must be at or after startsAt', path: ['endsAt'] };

export const SessionCreate = refuseControlCharacters(
  z.strictObject(sessionFields).refine(timesInOrder, timesIssue),
);
export type SessionCreate = z.input<typeof SessionCreate>;
export const SessionUpdate = refuseControlCharacters(
  z
    .strictObject({
      ...sessionFields,
      title: sessionFields.title.optional(),
      version: z.number().int().min(1),
    })
    .refine(timesInOrder, timesIssue),
);
export type SessionUpdate = z.input<typeof SessionUpdate>;

export const EventIdParams = z.strictObject({ id: Uuid });
export const SessionIdParams = z.strictObject({ id: Uuid, sessionId: Uuid });
