import type { InsightCreate } from '../../../contract/api/insights.ts';
import { LIMITS } from '../../../contract/limits.ts';
import {
  INSIGHT_DEFAULTS,
  INSIGHT_TYPES,
  type InsightType,
  PRIORITIES,
  PRODUCT_AREAS,
  type Priority,
  type ProductArea,
  SENTIMENTS,
  type Sentiment,
  type TaxonomyEntry,
} from '../../../contract/taxonomy.ts';

/**
 * The capture form as plain data, and its mapping to the API body. No DOM here: the unit tests import it.
 */

/** What the capture form holds between taps (text inputs as typed; tags as one comma-separated line). */
export interface FormFields {
  text: string;
  title: string;
  tags: string;
  developerRole: string;
  developerCompany: string;
  developerExperience: string;
  followUp: boolean;
  type: InsightType;
  sentiment: Sentiment;
  priority: Priority;
  productAreas: ProductArea[];
}

export const EMPTY_FORM: FormFields = {
  text: '',
  title: '',
  tags: '',
  developerRole: '',
  developerCompany: '',
  developerExperience: '',
  followUp: false,
  type: INSIGHT_DEFAULTS.type,
  sentiment: INSIGHT_DEFAULTS.sentiment,
  priority: INSIGHT_DEFAULTS.priority,
  productAreas: [],
};

/** The event/session the advocate is at; every capture carries it. */
export interface CaptureContext {
  eventId: string | null;
  sessionId: string | null;
}

const known = <Id extends string>(list: readonly TaxonomyEntry<Id>[], id: unknown, fallback: Id): Id =>
  list.find((entry) => entry.id === id)?.id ?? fallback;

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.slice(0, max) : '');

/**
 * Form fields from anything stored earlier (another app version, a hand-edited storage entry): unknown keys are
 * ignored, wrong types fall back to the empty form, ids the taxonomy no longer has are dropped.
 */
export function sanitizeForm(raw: unknown): FormFields {
  if (typeof raw !== 'object' || raw === null) return { ...EMPTY_FORM };
  const value = raw as Record<string, unknown>;
  const areas = Array.isArray(value.productAreas) ? value.productAreas : [];
  return {
    text: text(value.text, LIMITS.insightText),
    title: text(value.title, LIMITS.insightTitle),
    tags: text(value.tags, LIMITS.tagsPerInsight * (LIMITS.tag + 2)),
    developerRole: text(value.developerRole, LIMITS.developerField),
    developerCompany: text(value.developerCompany, LIMITS.developerField),
    developerExperience: text(value.developerExperience, LIMITS.developerField),
    followUp: value.followUp === true,
    type: known(INSIGHT_TYPES, value.type, EMPTY_FORM.type),
    sentiment: known(SENTIMENTS, value.sentiment, EMPTY_FORM.sentiment),
    priority: known(PRIORITIES, value.priority, EMPTY_FORM.priority),
    // In the order the person picked them; unknown and repeated ids dropped.
    productAreas: [...new Set(areas)]
      .map((id) => PRODUCT_AREAS.find((area) => area.id === id)?.id)
      .filter((id): id is ProductArea => id !== undefined)
      .slice(0, LIMITS.productAreasPerInsight),
  };
}

/** True when the form holds something the person typed (worth keeping, worth warning about). */
export function hasInput(form: FormFields): boolean {
  return (
    form.text.trim() !== '' ||
    form.title.trim() !== '' ||
    form.tags.trim() !== '' ||
    form.developerRole.trim() !== '' ||
    form.developerCompany.trim() !== '' ||
    form.developerExperience.trim() !== ''
  );
}

/**
 * The form after a save: ready for the next developer. Type and product areas stay (an advocate at a booth
 * usually hears several of the same kind in a row); what was said, by whom, and how it felt start fresh.
 */
export function nextForm(saved: FormFields): FormFields {
  return { ...EMPTY_FORM, type: saved.type, productAreas: [...saved.productAreas] };
}

/** "a, b ,, a" → ["a", "b"]: trimmed, empty removed, first spelling of each tag kept. */
export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const part of input.split(',')) {
    const tag = part.trim();
    const key = tag.toLowerCase();
    if (tag === '' || seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

/** The body of POST /api/v1/insights without id, capturedAt and source: exactly the fields the API accepts. */
export type InsightFields = Omit<InsightCreate, 'id' | 'capturedAt' | 'source'>;

export function toInsightFields(form: FormFields, context: CaptureContext): InsightFields {
  const fields: InsightFields = {
    text: form.text.trim(),
    type: form.type,
    productAreas: [...form.productAreas],
    sentiment: form.sentiment,
    priority: form.priority,
    tags: parseTags(form.tags),
    followUp: form.followUp,
    eventId: context.eventId,
    sessionId: context.eventId === null ? null : context.sessionId,
  };
  const title = form.title.trim();
  if (title !== '') fields.title = title;
  const developer: NonNullable<InsightFields['developer']> = {};
  const role = form.developerRole.trim();
  const company = form.developerCompany.trim();
  const experience = form.developerExperience.trim();
  if (role !== '') developer.role = role;
  if (company !== '') developer.company = company;
  if (experience !== '') developer.experience = experience;
  if (Object.keys(developer).length > 0) fields.developer = developer;
  return fields;
}

/** The form again from stored insight fields (a voice draft's fields, kept while the recording waits). */
export function formFromFields(fields: Partial<InsightFields>): FormFields {
  return sanitizeForm({
    text: fields.text ?? '',
    title: fields.title ?? '',
    tags: (fields.tags ?? []).join(', '),
    developerRole: fields.developer?.role ?? '',
    developerCompany: fields.developer?.company ?? '',
    developerExperience: fields.developer?.experience ?? '',
    followUp: fields.followUp ?? false,
    type: fields.type,
    sentiment: fields.sentiment,
    priority: fields.priority,
    productAreas: fields.productAreas ?? [],
  });
}

/** Checks the server would reject anyway, answered at once and without a round trip. */
export function localProblems(fields: Pick<InsightFields, 'text' | 'tags'>): string[] {
  const problems: string[] = [];
  if (fields.text.trim() === '') problems.push('Type what the developer said first.');
  const tags = fields.tags ?? [];
  if (tags.length > LIMITS.tagsPerInsight) problems.push(`Use at most ${LIMITS.tagsPerInsight} tags.`);
  const longTag = tags.find((tag) => tag.length > LIMITS.tag);
  if (longTag !== undefined) problems.push(`Tags can be at most ${LIMITS.tag} characters ("${longTag}").`);
  return problems;
}

/** Field names in problem+json (e.g. "body.text", "items.3.tags.0") as the labels a person sees on the form. */
const FIELD_LABELS: Record<string, string> = {
  text: 'What did the developer say?',
  title: 'Title',
  type: 'Type',
  sentiment: 'Sentiment',
  priority: 'Priority',
  productAreas: 'Product areas',
  tags: 'Tags',
  developer: 'Developer',
  'developer.role': 'Developer role',
  'developer.company': 'Company',
  'developer.experience': 'Experience',
  followUp: 'Needs follow-up',
  eventId: 'Event',
  sessionId: 'Session',
  capturedAt: 'Captured at',
  description: 'Description',
  screenshot: 'Screenshot',
  version: 'Version',
};

export function fieldLabel(field: string): string {
  const path = field
    .replace(/^body\.?/, '')
    .replace(/^items\.\d+\.?/, '')
    .replace(/\.\d+(?=\.|$)/g, '');
  return FIELD_LABELS[path] ?? FIELD_LABELS[path.split('.')[0] ?? ''] ?? (path || 'Request');
}
