import type { Insight, InsightUpdate } from '../../../../contract/api/insights.ts';
import {
  INSIGHT_TYPES,
  labelOf,
  PRIORITIES,
  PRODUCT_AREAS,
  SENTIMENTS,
} from '../../../../contract/taxonomy.ts';

/** The edit form's values: everything as the inputs hold it. */
export interface EditDraft {
  title: string;
  text: string;
  type: string;
  sentiment: string;
  priority: string;
  productAreas: string[];
  tags: string;
  role: string;
  company: string;
  experience: string;
}

export function draftOf(insight: Insight): EditDraft {
  return {
    title: insight.title ?? '',
    text: insight.text,
    type: insight.type,
    sentiment: insight.sentiment,
    priority: insight.priority,
    productAreas: [...insight.productAreas],
    tags: insight.tags.join(', '),
    role: insight.developer?.role ?? '',
    company: insight.developer?.company ?? '',
    experience: insight.developer?.experience ?? '',
  };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, index) => value === b[index]);

/** The PATCH body: only what the draft changed against `base`, from base's version; null when nothing changed. */
export function updateOf(base: Insight, draft: EditDraft): InsightUpdate | null {
  const from = draftOf(base);
  const body: Record<string, unknown> = {};
  if (draft.title.trim() !== from.title) body.title = draft.title.trim() === '' ? null : draft.title.trim();
  if (draft.text.trim() !== from.text.trim()) body.text = draft.text.trim();
  if (draft.type !== from.type) body.type = draft.type;
  if (draft.sentiment !== from.sentiment) body.sentiment = draft.sentiment;
  if (draft.priority !== from.priority) body.priority = draft.priority;
  if (!sameList([...draft.productAreas].sort(), [...from.productAreas].sort()))
    body.productAreas = draft.productAreas;
  if (!sameList(splitTags(draft.tags), base.tags)) body.tags = splitTags(draft.tags);
  if (draft.role !== from.role || draft.company !== from.company || draft.experience !== from.experience) {
    const developer = {
      ...(draft.role.trim() !== '' && { role: draft.role.trim() }),
      ...(draft.company.trim() !== '' && { company: draft.company.trim() }),
      ...(draft.experience.trim() !== '' && { experience: draft.experience.trim() }),
    };
    body.developer = Object.keys(developer).length === 0 ? null : developer;
  }
  if (Object.keys(body).length === 0) return null;
  return { version: base.version, ...body } as InsightUpdate;
}

/** One field as a person reads it (for "theirs vs mine" after a conflict). */
export function fieldText(draft: EditDraft, field: keyof EditDraft): string {
  const value = draft[field];
  if (field === 'type') return labelOf(INSIGHT_TYPES, draft.type);
  if (field === 'sentiment') return labelOf(SENTIMENTS, draft.sentiment);
  if (field === 'priority') return labelOf(PRIORITIES, draft.priority);
  if (field === 'productAreas')
    return draft.productAreas.map((a) => labelOf(PRODUCT_AREAS, a)).join(', ') || '–';
  if (field === 'tags') return splitTags(draft.tags).join(', ') || '–';
  return (typeof value === 'string' ? value.trim() : '') || '–';
}

export const FIELD_LABELS: Record<keyof EditDraft, string> = {
  title: 'Title',
  text: 'Text',
  type: 'Type',
  sentiment: 'Sentiment',
  priority: 'Priority',
  productAreas: 'Product areas',
  tags: 'Tags',
  role: 'Developer role',
  company: 'Company',
  experience: 'Experience',
};

/** Fields where theirs and mine differ: what a conflict shows side by side. */
export function conflictingFields(theirs: Insight, mine: EditDraft): (keyof EditDraft)[] {
  const their = draftOf(theirs);
  return (Object.keys(FIELD_LABELS) as (keyof EditDraft)[]).filter(
    (field) => fieldText(their, field) !== fieldText(mine, field),
  );
}

/** "a, b ,, c" → ["a", "b", "c"] (trimmed, no empties, no repeats). */
export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}
