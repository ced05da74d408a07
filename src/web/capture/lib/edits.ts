import type { Insight, InsightUpdate } from '../../../contract/api/insights.ts';
import { LIMITS } from '../../../contract/limits.ts';
import {
  INSIGHT_TYPES,
  type InsightType,
  labelOf,
  PRIORITIES,
  PRODUCT_AREAS,
  type Priority,
  SENTIMENTS,
  type Sentiment,
} from '../../../contract/taxonomy.ts';
import { fieldLabel, parseTags } from './form.ts';

/**
 * Editing an insight that is already on the server, and settling an edit that met a newer version. Pure
 * functions (the unit tests import them); the screens only render what these decide.
 */

export type EditChanges = Omit<InsightUpdate, 'version'>;

/** The fields the capture app lets an author edit after the fact. */
export interface EditValues {
  text: string;
  type: InsightType;
  sentiment: Sentiment;
  priority: Priority;
  /** As typed: comma separated. */
  tags: string;
  followUp: boolean;
}

/** What the person sees when editing: the stored insight with their queued (unsent) changes applied. */
export function editValues(insight: Insight, pending: EditChanges | null = null): EditValues {
  return {
    text: pending?.text ?? insight.text,
    type: pending?.type ?? insight.type,
    sentiment: pending?.sentiment ?? insight.sentiment,
    priority: pending?.priority ?? insight.priority,
    tags: (pending?.tags ?? insight.tags).join(', '),
    followUp: pending?.followUp ?? insight.followUp,
  };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/** Only what the person changed, so a queued edit never overwrites fields they did not touch. */
export function editChanges(shown: EditValues, edited: EditValues): EditChanges {
  const changes: EditChanges = {};
  if (edited.text.trim() !== shown.text.trim()) changes.text = edited.text.trim();
  if (edited.type !== shown.type) changes.type = edited.type;
  if (edited.sentiment !== shown.sentiment) changes.sentiment = edited.sentiment;
  if (edited.priority !== shown.priority) changes.priority = edited.priority;
  const tags = parseTags(edited.tags);
  if (!sameList(tags, parseTags(shown.tags))) changes.tags = tags;
  if (edited.followUp !== shown.followUp) changes.followUp = edited.followUp;
  return changes;
}

/**
 * The starting point of "Merge text": when one version already contains the other, the longer one (nothing
 * is lost and nothing repeats); otherwise theirs, a blank line, then mine, for the person to tidy up.
 */
export function mergeText(theirs: string, mine: string): string {
  const a = theirs.trim();
  const b = mine.trim();
  if (a === b || b === '') return a;
  if (a === '') return b;
  if (a.includes(b)) return a;
  if (b.includes(a)) return b;
  return `${a}\n\n${b}`;
}

/** Why a merged text cannot be sent, or null. */
export function mergedTextProblem(text: string): string | null {
  if (text.trim() === '') return 'The merged text must not be empty.';
  if (text.trim().length > LIMITS.insightText)
    return `The merged text is longer than ${LIMITS.insightText} characters; shorten it first.`;
  return null;
}

type Field = Exclude<keyof EditChanges, 'text'>;

/** One changed field as both sides would store it, in words. */
function display(field: Field, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  switch (field) {
    case 'type':
      return labelOf(INSIGHT_TYPES, String(value));
    case 'sentiment':
      return labelOf(SENTIMENTS, String(value));
    case 'priority':
      return labelOf(PRIORITIES, String(value));
    case 'productAreas':
      return (value as string[]).map((id) => labelOf(PRODUCT_AREAS, id)).join(', ') || '—';
    case 'tags':
      return (value as string[]).join(', ') || '—';
    case 'followUp':
      return value === true ? 'Yes' : 'No';
    case 'developer': {
      const developer = value as { role?: string; company?: string; experience?: string };
      return [developer.role, developer.company, developer.experience].filter(Boolean).join(' · ') || '—';
    }
    default:
      return String(value);
  }
}

/** A stored insight's value of an editable field, in the shape an edit carries it. */
function storedValue(insight: Insight, field: Field): unknown {
  if (field === 'eventId') return insight.event?.id ?? null;
  if (field === 'sessionId') return insight.session?.id ?? null;
  return insight[field];
}

export interface ConflictRow {
  field: string;
  label: string;
  mine: string;
  theirs: string;
}

export interface ConflictSummary {
  /** Text as my edit would store it, and as it is stored now. */
  mineText: string;
  theirsText: string;
  textDiffers: boolean;
  /** Fields where keeping mine and taking theirs give different results. */
  rows: ConflictRow[];
  /** Fields only they changed: kept whichever way the person decides. */
  theirOtherChanges: string[];
}

/**
 * Side by side: my edit (what "Keep mine" stores: my changed fields over their version) against theirs (what
 * is stored now), field by field.
 */
export function summarizeConflict(base: Insight, changes: EditChanges, current: Insight): ConflictSummary {
  const mineText = changes.text ?? current.text;
  const rows: ConflictRow[] = [];
  const mineFields = new Set<string>();
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'text' || value === undefined) continue;
    const field = key as Field;
    mineFields.add(field);
    const mine = display(field, value);
    const theirs = display(field, storedValue(current, field));
    if (mine !== theirs) rows.push({ field, label: fieldLabel(field), mine, theirs });
  }
  const editable: Field[] = [
    'type',
    'sentiment',
    'priority',
    'productAreas',
    'tags',
    'followUp',
    'developer',
  ];
  const theirOtherChanges = editable
    .filter((field) => !mineFields.has(field))
    .filter(
      (field) => display(field, storedValue(base, field)) !== display(field, storedValue(current, field)),
    )
    .map((field) => fieldLabel(field));
  if (changes.text === undefined && base.text !== current.text) theirOtherChanges.unshift('Text');
  if (changes.title === undefined && base.title !== current.title)
    theirOtherChanges.push(fieldLabel('title'));
  return {
    mineText,
    theirsText: current.text,
    textDiffers: mineText.trim() !== current.text.trim(),
    rows,
    theirOtherChanges,
  };
}
