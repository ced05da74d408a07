import type { ImportField } from '../../../contract/program.ts';
import { normalizeEventName } from '../events/events.values.ts';
import { decideDateOrder, type FileDateOrder, parseDate } from './imports.dates.ts';
import type { ColumnMapping } from './imports.mapping.ts';
import type { CsvRecord, ParsedCsv } from './imports.parse.ts';
import {
  accountSegmentOf,
  attendanceOf,
  booleanOf,
  engagementTypeOf,
  eventStatusOf,
  eventTypeOf,
  type Lookup,
  numberOf,
  quarterOf,
  regionOf,
  splitList,
  timeZoneOf,
  travelStatusOf,
} from './imports.vocab.ts';

/**
 * One spreadsheet row → the event fields it states, with its problems. Pure: people (owner, advocates) are
 * left as the names or e-mails written, for the planner to resolve. A blank cell states nothing (the field is
 * left as it is); an unreadable optional value is a warning and states nothing; an unreadable name or start
 * date is an error. A missing end date is the start date.
 */
export type RowIssue = { field: string; message: string };
export type AssignmentRole = 'on_site' | 'remote' | 'volunteer_travel';

/** EventCreate's keys, as the import fills them (validated by EventCreate later, never trusted). */
export type EventInput = Record<string, unknown>;

export interface RowDraft {
  line: number;
  blank: boolean;
  name: string | null;
  startsOn: string | null;
  /** Contract fields this row states (blank cells and unreadable values excluded). */
  input: EventInput;
  /** Which import field set each contract key (to name the column in a warning). */
  fieldOf: Record<string, ImportField>;
  owner: string | null;
  /** Advocates as written, per role of a mapped assignment column (a blank cell states nothing). */
  advocates: Partial<Record<AssignmentRole, string[]>>;
  errors: RowIssue[];
  warnings: RowIssue[];
  /** lower(name) + start date: the row's identity, in the file and in the database. */
  key: string | null;
}

const KEY_OF: Partial<Record<ImportField, string>> = {
  quarter: 'quarter',
  status: 'status',
  event_type: 'eventType',
  engagement_type: 'engagementType',
  region: 'region',
  attendance: 'attendance',
  location: 'location',
  latitude: 'latitude',
  longitude: 'longitude',
  timezone: 'timezone',
  account_name: 'accountName',
  account_segment: 'accountSegment',
  champion: 'champion',
  marketer: 'marketer',
  event_url: 'eventUrl',
  tracker_url: 'trackerUrl',
  salesforce_url: 'salesforceUrl',
  slack_channel: 'slackChannel',
  tech_stack: 'techStack',
  travel_status: 'travelStatus',
  active: 'isActive',
};

const ROLE_OF: Partial<Record<ImportField, AssignmentRole>> = {
  assigned_on_site: 'on_site',
  assigned_remote: 'remote',
  assigned_volunteer: 'volunteer_travel',
};

const LOOKUPS: Partial<Record<ImportField, [Lookup<string>, string]>> = {
  status: [eventStatusOf, 'an event status (Planning, Confirmed, Completed, Postponed, Cancelled)'],
  event_type: [eventTypeOf, 'an event type'],
  engagement_type: [engagementTypeOf, 'an engagement type'],
  region: [regionOf, 'a region (AMER, EMEA, APAC, LATAM)'],
  attendance: [attendanceOf, 'on-site, virtual or hybrid'],
  account_segment: [accountSegmentOf, 'an account segment (POD, ANCHOR, ASPIRE POD, KEY GROWTH, ALL)'],
  travel_status: [travelStatusOf, 'a travel status (Not needed, Requested, Approved, Booked)'],
};

const quote = (raw: string) => `"${raw.length > 60 ? `${raw.slice(0, 57)}…` : raw}"`;

/** The value a cell states for a contract key, or a reason it states nothing. */
function convert(field: ImportField, raw: string): { value: unknown } | { problem: string } {
  const lookup = LOOKUPS[field];
  if (lookup) {
    const value = lookup[0](raw);
    return value === null ? { problem: `${quote(raw)} is not ${lookup[1]}; left unset` } : { value };
  }
  switch (field) {
    case 'quarter': {
      const value = quarterOf(raw);
      return value === null
        ? { problem: `${quote(raw)} is not a quarter like "Q4 FY26"; left unset` }
        : { value };
    }
    case 'latitude':
    case 'longitude': {
      const value = numberOf(raw);
      return value === null ? { problem: `${quote(raw)} is not a number; left unset` } : { value };
    }
    case 'timezone': {
      const value = timeZoneOf(raw);
      return value === null
        ? { problem: `${quote(raw)} is not an IANA time zone such as Europe/Berlin; left unset` }
        : { value };
    }
    case 'active': {
      const value = booleanOf(raw);
      return value === null ? { problem: `${quote(raw)} is not yes or no; left unset` } : { value };
    }
    case 'tech_stack':
      return { value: [...new Set(splitList(raw))] };
    case 'slack_channel':
      return { value: raw.toLowerCase() };
    case 'event_url':
    case 'tracker_url':
    case 'salesforce_url':
      return { value: /^www\./i.test(raw) ? `https://${raw}` : raw };
    default:
      return { value: raw };
  }
}

/** The file's day/month order, from every cell of its date columns. */
export function fileDateOrder(parsed: ParsedCsv, columns: readonly ColumnMapping[]): FileDateOrder {
  const dateColumns = columns.filter((c) => c.field === 'starts_on' || c.field === 'ends_on');
  return decideDateOrder(parsed.records.flatMap((r) => dateColumns.map((c) => r.cells[c.index] ?? '')));
}

export function draftRow(
  record: CsvRecord,
  columns: readonly ColumnMapping[],
  dates: FileDateOrder,
): RowDraft {
  const draft: RowDraft = {
    line: record.line,
    blank: record.blank,
    name: null,
    startsOn: null,
    input: {},
    fieldOf: {},
    owner: null,
    advocates: {},
    errors: [],
    warnings: [],
    key: null,
  };
  if (record.blank) return draft;
  const set = (key: string, field: ImportField, value: unknown) => {
    draft.input[key] = value;
    draft.fieldOf[key] = field;
  };
  let endCell: string | null = null;
  for (const column of columns) {
    const field = column.field;
    const raw = record.cells[column.index] ?? '';
    if (!field) continue;
    if (field === 'ends_on') endCell = raw;
    if (!raw) continue;
    if (field === 'name') {
      draft.name = normalizeEventName(raw);
      set('name', field, draft.name);
    } else if (field === 'starts_on') {
      const date = parseDate(raw, dates);
      if (!date.ok) draft.errors.push({ field, message: `${quote(raw)} is not a date` });
      else {
        draft.startsOn = date.date;
        set('startsOn', field, date.date);
        if (date.warning) draft.warnings.push({ field, message: date.warning });
      }
    } else if (field === 'ends_on') {
      const date = parseDate(raw, dates);
      if (!date.ok) {
        draft.warnings.push({ field, message: `${quote(raw)} is not a date; the start date is used` });
        endCell = '';
      } else {
        set('endsOn', field, date.date);
        if (date.warning) draft.warnings.push({ field, message: date.warning });
      }
    } else if (field === 'owner') draft.owner = raw;
    else if (ROLE_OF[field]) draft.advocates[ROLE_OF[field] as AssignmentRole] = splitList(raw);
    else {
      const converted = convert(field, raw);
      if ('problem' in converted) draft.warnings.push({ field, message: converted.problem });
      else set(KEY_OF[field] as string, field, converted.value);
    }
  }
  if (!draft.name) draft.errors.unshift({ field: 'name', message: 'is required' });
  if (!draft.startsOn && !draft.errors.some((e) => e.field === 'starts_on'))
    draft.errors.push({ field: 'starts_on', message: 'is required' });
  // A mapped end date left blank (or unreadable) means a one-day event.
  if (endCell === '' && draft.startsOn) set('endsOn', 'ends_on', draft.startsOn);
  if (draft.name && draft.startsOn) draft.key = `${draft.name.toLowerCase()}|${draft.startsOn}`;
  return draft;
}

/** Lines of later rows repeating an earlier row's name + start date → the line of that earlier row. */
export function duplicatesInFile(drafts: readonly RowDraft[]): Map<number, number> {
  const first = new Map<string, number>();
  const out = new Map<number, number>();
  for (const draft of drafts) {
    if (!draft.key) continue;
    const earlier = first.get(draft.key);
    if (earlier === undefined) first.set(draft.key, draft.line);
    else out.set(draft.line, earlier);
  }
  return out;
}
