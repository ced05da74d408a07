import Fuse from 'fuse.js';
import {
  ACCOUNT_SEGMENTS,
  ATTENDANCE_MODES,
  ENGAGEMENT_TYPES,
  EVENT_STATUSES,
  TRAVEL_STATUSES,
} from '../../../contract/program.ts';
import { EVENT_TYPES, REGIONS } from '../../../contract/taxonomy.ts';
import { FUZZY_MAX_FUSE_SCORE, normalizeKey } from './imports.mapping.ts';

/**
 * The words PMO spreadsheets use for the event vocabulary → its ids. Pure. A value is compared by its
 * normalised key (accents, case, emoji and punctuation dropped): first as a whole, then by the phrases it
 * contains as whole words ("Tentative – waiting on legal" is planning); a value whose phrases point at two
 * different ids is not guessed. Event and engagement types also try a fuzzy match on their labels.
 */
type Vocabulary<T extends string> = { id: T; label: string }[];
type Phrases<T extends string> = Record<T, string[]>;

export type Lookup<T extends string> = (raw: string) => T | null;

function vocabulary<T extends string>(
  list: readonly { id: T; label: string }[],
  phrases: Phrases<T>,
  options: { fuzzy?: boolean; symbols?: [string, T][] } = {},
): Lookup<T> {
  const exact = new Map<string, T>();
  for (const entry of list as Vocabulary<T>) {
    for (const text of [entry.id, entry.label, ...phrases[entry.id]]) {
      const key = normalizeKey(text);
      if (key && !exact.has(key)) exact.set(key, entry.id);
    }
  }
  const fuse = options.fuzzy
    ? new Fuse(
        [...exact.entries()].map(([text, id]) => ({ text, id })),
        { keys: ['text'], includeScore: true, ignoreLocation: true, threshold: FUZZY_MAX_FUSE_SCORE },
      )
    : null;
  return (raw: string) => {
    const key = normalizeKey(raw);
    if (!key) return options.symbols?.find(([symbol]) => raw.includes(symbol))?.[1] ?? null;
    const whole = exact.get(key);
    if (whole) return whole;
    const padded = ` ${key} `;
    const found = new Set<T>();
    for (const [phrase, id] of exact) if (padded.includes(` ${phrase} `)) found.add(id);
    if (found.size === 1) return [...found][0] as T;
    if (found.size > 1 || !fuse || key.length < 3) return null;
    const best = fuse.search(key)[0];
    return best && (best.score ?? 1) <= FUZZY_MAX_FUSE_SCORE ? best.item.id : null;
  };
}

export const eventStatusOf = vocabulary(
  EVENT_STATUSES,
  {
    planning: ['planned', 'plan', 'tentative', 'tbd', 'tbc', 'proposed', 'idea', 'draft', 'pencilled'],
    confirmed: ['confirm', 'scheduled', 'go', 'locked', 'committed', 'yes'],
    completed: ['complete', 'done', 'finished', 'delivered', 'held', 'wrapped'],
    postponed: ['delayed', 'on hold', 'rescheduled', 'deferred', 'paused'],
    cancelled: ['canceled', 'cancel', 'dropped', 'no go', 'called off'],
  },
  {
    symbols: [
      ['✅', 'confirmed'],
      ['✔', 'completed'],
      ['☑', 'completed'],
      ['❌', 'cancelled'],
      ['✖', 'cancelled'],
      ['🟡', 'planning'],
      ['⏳', 'planning'],
      ['⏸', 'postponed'],
    ],
  },
);

export const eventTypeOf = vocabulary(
  EVENT_TYPES,
  {
    dev_day_1to1: ['1 1', 'one on one dev day', '1 1 devday', 'dev day 1 1', 'customer dev day'],
    regional_dev_day: ['regional', 'regional devday', 'dev day regional'],
    workshop_webinar: ['workshop', 'webinar', 'workshop webinar', 'hands on'],
    build_and_learn: ['build and learn', 'build learn', 'b l'],
    office_hours: ['office hour'],
    hackathon: ['hack', 'hack day', 'hackday'],
    architect_day: ['architecture day', 'architects day'],
    virtual_primer: ['primer'],
    other: [],
  },
  { fuzzy: true },
);

export const engagementTypeOf = vocabulary(
  ENGAGEMENT_TYPES,
  {
    customer: ['customer', 'client', 'account'],
    community: ['meetup', 'user group', 'community event'],
    conference: ['conf', 'summit', 'expo'],
    partner: ['partners', 'alliance'],
    internal: ['enablement', 'employee'],
  },
  { fuzzy: true },
);

export const regionOf = vocabulary(REGIONS, {
  AMER: ['na', 'nam', 'north america', 'americas', 'us', 'usa', 'united states', 'canada'],
  EMEA: ['europe', 'eu', 'uk', 'middle east', 'africa', 'dach', 'nordics'],
  APAC: ['asia pacific', 'asia', 'apj', 'anz', 'australia', 'japan', 'india', 'singapore'],
  LATAM: ['lat am', 'latin america', 'south america', 'brazil', 'mexico'],
});

export const attendanceOf = vocabulary(ATTENDANCE_MODES, {
  on_site: ['onsite', 'on site', 'in person', 'inperson', 'physical', 'f2f', 'face to face', 'in office'],
  virtual: ['online', 'remote', 'zoom', 'teams', 'virtually'],
  hybrid: ['both', 'mixed', 'on site and virtual'],
});

export const accountSegmentOf = vocabulary(ACCOUNT_SEGMENTS, {
  POD: [],
  ANCHOR: [],
  ASPIRE_POD: ['aspire', 'aspirepod', 'aspire pods'],
  KEY_GROWTH: ['keygrowth', 'key growth account', 'growth'],
  ALL: ['all segments', 'any'],
});

export const travelStatusOf = vocabulary(TRAVEL_STATUSES, {
  not_needed: ['no', 'none', 'n a', 'na', 'no travel', 'local', 'not required', 'virtual'],
  requested: ['request', 'pending', 'submitted', 'needed', 'required', 'in progress'],
  approved: ['approve', 'ok'],
  booked: ['book', 'travel booked', 'done'],
});

const TRUE_WORDS = new Set(['yes', 'y', 'true', 'x', '1', 'active', 'on', 'live']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', 'inactive', 'off']);

/** yes / y / true / x / 1 / ✅ → true; no / n / false / 0 / ❌ → false; anything else null. */
export function booleanOf(raw: string): boolean | null {
  const key = normalizeKey(raw);
  if (!key) {
    if (/[✅✔☑]/u.test(raw)) return true;
    if (/[❌✖]/u.test(raw) || raw.trim() === '-') return false;
    return null;
  }
  if (TRUE_WORDS.has(key)) return true;
  if (FALSE_WORDS.has(key)) return false;
  return null;
}

/** "Q4 FY26", "q4fy2026", "FY26 Q4", "Q4-FY26" → "Q4 FY26"; anything else null. */
export function quarterOf(raw: string): string | null {
  const compact = normalizeKey(raw).replace(/\s+/g, '');
  const m = /^q([1-4])fy(\d{2}|\d{4})$/.exec(compact) ?? null;
  const n = m ? null : /^fy(\d{2}|\d{4})q([1-4])$/.exec(compact);
  const [q, year] = m ? [m[1], m[2]] : n ? [n[2], n[1]] : [null, null];
  if (!q || !year) return null;
  return `Q${q} FY${year.slice(-2)}`;
}

const TIME_ZONES = new Map<string, string>(
  [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((tz) => [tz.toLowerCase(), tz]),
);

/** An IANA time zone in any letter case ("europe/berlin" → "Europe/Berlin"), else null. */
export const timeZoneOf = (raw: string): string | null =>
  TIME_ZONES.get(raw.trim().toLowerCase().replace(/\s+/g, '_')) ?? null;

/** A decimal number ("52.52", "52,52", "-13.4"), else null. */
export function numberOf(raw: string): number | null {
  const text = raw.trim().replace(/\s/g, '');
  if (!/^[+-]?\d{1,3}(?:[.,]\d+)?$/.test(text)) return null;
  return Number(text.replace(',', '.'));
}

/** Cells holding lists (advocates, tech stack): split on `,` `;` `/` `|` or new lines, blanks dropped. */
export const splitList = (raw: string): string[] =>
  raw
    .split(/[,;/|\n\r]+/)
    .map((part) => part.trim())
    .filter(Boolean);
