import type { z } from 'zod';
import {
  type AssignmentRoleSchema,
  EventCreate,
  type EventDetail,
  EventUpdate,
} from '../../../../contract/api/events.ts';
import type { FieldError } from '../../../../contract/problem.ts';
import { ApiError } from '../../../ui/api.ts';

/** The create/edit form's state: text as typed, people with their names (for the chips). */
export interface Draft {
  name: string;
  eventType: string;
  status: string;
  quarter: string;
  engagementType: string;
  isActive: boolean;
  startsOn: string;
  endsOn: string;
  timezone: string;
  attendance: string;
  region: string;
  location: string;
  latitude: string;
  longitude: string;
  accountName: string;
  accountSegment: string;
  champion: string;
  marketer: string;
  eventUrl: string;
  trackerUrl: string;
  salesforceUrl: string;
  slackChannel: string;
  techStack: string[];
  travelStatus: string;
  owner: { id: string; name: string } | null;
  assignments: { person: { id: string; name: string }; role: z.infer<typeof AssignmentRoleSchema> }[];
}

/** Form field → message. Keys are the API's top-level body fields ("endsOn", "assignments"). */
export type FieldErrors = Partial<Record<keyof Draft | 'ownerId', string>>;

export function emptyDraft(owner: { id: string; name: string }): Draft {
  return {
    name: '',
    eventType: '',
    status: 'planning',
    quarter: '',
    engagementType: '',
    isActive: false,
    startsOn: '',
    endsOn: '',
    timezone: '',
    attendance: 'on_site',
    region: '',
    location: '',
    latitude: '',
    longitude: '',
    accountName: '',
    accountSegment: '',
    champion: '',
    marketer: '',
    eventUrl: '',
    trackerUrl: '',
    salesforceUrl: '',
    slackChannel: '',
    techStack: [],
    travelStatus: '',
    owner,
    assignments: [],
  };
}

const text = (value: string | null) => value ?? '';
const num = (value: number | null) => (value === null ? '' : String(value));

export function draftOf(event: EventDetail): Draft {
  return {
    name: event.name,
    eventType: event.eventType,
    status: event.status,
    quarter: text(event.quarter),
    engagementType: text(event.engagementType),
    isActive: event.isActive,
    startsOn: event.startsOn,
    endsOn: event.endsOn,
    timezone: text(event.timezone),
    attendance: event.attendance,
    region: text(event.region),
    location: text(event.location),
    latitude: num(event.latitude),
    longitude: num(event.longitude),
    accountName: text(event.accountName),
    accountSegment: text(event.accountSegment),
    champion: text(event.champion),
    marketer: text(event.marketer),
    eventUrl: text(event.eventUrl),
    trackerUrl: text(event.trackerUrl),
    salesforceUrl: text(event.salesforceUrl),
    slackChannel: text(event.slackChannel),
    techStack: [...event.techStack],
    travelStatus: text(event.travelStatus),
    owner: event.owner,
    assignments: event.assignments.map((a) => ({
      person: { id: a.person.id, name: a.person.name },
      role: a.role,
    })),
  };
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
/** A number field: blank is null; anything else goes as typed when it is not a number (zod then says so). */
const numberOrNull = (value: string): number | string | null => {
  if (value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : value;
};

/** The request body the draft stands for (every field; the edit sends only the changed ones). */
export function bodyOf(draft: Draft): Record<string, unknown> {
  return {
    name: draft.name.trim(),
    eventType: draft.eventType === '' ? undefined : draft.eventType,
    status: draft.status,
    quarter: orNull(draft.quarter),
    engagementType: orNull(draft.engagementType),
    isActive: draft.isActive,
    startsOn: draft.startsOn === '' ? undefined : draft.startsOn,
    endsOn: draft.endsOn === '' ? undefined : draft.endsOn,
    timezone: orNull(draft.timezone),
    attendance: draft.attendance,
    region: orNull(draft.region),
    location: orNull(draft.location),
    latitude: numberOrNull(draft.latitude),
    longitude: numberOrNull(draft.longitude),
    accountName: orNull(draft.accountName),
    accountSegment: orNull(draft.accountSegment),
    champion: orNull(draft.champion),
    marketer: orNull(draft.marketer),
    eventUrl: orNull(draft.eventUrl),
    trackerUrl: orNull(draft.trackerUrl),
    salesforceUrl: orNull(draft.salesforceUrl),
    slackChannel: orNull(draft.slackChannel),
    techStack: draft.techStack,
    travelStatus: orNull(draft.travelStatus),
    ownerId: draft.owner?.id ?? null,
    assignments: draft.assignments.map((a) => ({ personId: a.person.id, role: a.role })),
  };
}

/** The fields whose body value differs from the baseline's (what an edit sends besides its version). */
export function changedFields(draft: Draft, baseline: Draft): Record<string, unknown> {
  const now = bodyOf(draft);
  const before = bodyOf(baseline);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(now)) {
    if (JSON.stringify(value) !== JSON.stringify(before[key])) out[key] = value;
  }
  return out;
}

/** The changes the person made since `baseline`, re-applied on top of a newer version of the event. */
export function rebase(draft: Draft, baseline: Draft, latest: Draft): Draft {
  const next: Draft = { ...latest };
  const target = next as unknown as Record<string, unknown>;
  for (const key of Object.keys(draft) as (keyof Draft)[]) {
    if (JSON.stringify(draft[key]) !== JSON.stringify(baseline[key])) target[key] = draft[key];
  }
  return next;
}

/** The form field an error path names: "body.assignments.0.personId" → "assignments". */
export function fieldOf(path: string): string {
  return path.replace(/^body\.?/, '').split('.')[0] ?? '';
}

/**
 * A 409 about the version the edit started from (someone else saved first) — as opposed to a 409 about the
 * input, such as a name already used on that day, which names the offending field.
 */
export function isStaleVersion(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 409 &&
    error.fieldErrors.every((item) => fieldOf(item.field) === 'version')
  );
}

/** One message per field (the first); errors for fields the form does not show are returned apart. */
export function collectErrors(
  list: readonly FieldError[],
  known: readonly string[],
): { fields: FieldErrors; other: FieldError[] } {
  const fields: Record<string, string> = {};
  const other: FieldError[] = [];
  for (const error of list) {
    const field = fieldOf(error.field);
    if (known.includes(field)) fields[field] ??= error.message;
    else other.push(error);
  }
  return { fields: fields as FieldErrors, other };
}

const REQUIRED_CHOICES = {
  eventType: 'choose an event type',
  startsOn: 'must be a date',
  endsOn: 'must be a date',
};

/** The contract's own checks, before anything is sent (same messages as the server's). */
export function validate(body: Record<string, unknown>, edit: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (!edit) {
    for (const [field, message] of Object.entries(REQUIRED_CHOICES))
      if (body[field] === undefined) errors.push({ field, message });
  }
  for (const field of ['latitude', 'longitude'])
    if (typeof body[field] === 'string') errors.push({ field, message: 'must be a number' });
  const schema = edit ? EventUpdate : EventCreate;
  const result = schema.safeParse(edit ? { ...body, version: 1 } : body);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join('.');
      if (!errors.some((e) => e.field === fieldOf(field))) errors.push({ field, message: issue.message });
    }
  }
  return errors;
}
