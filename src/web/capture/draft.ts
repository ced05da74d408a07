import type { InsightCreate } from '../../contract/api/insights.ts';
import { LIMITS } from '../../contract/limits.ts';
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
} from '../../contract/taxonomy.ts';
import { type CaptureContext, loadDraft } from './storage.ts';

/** What the capture form holds between taps. */
export interface Draft {
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

export const EMPTY_DRAFT: Draft = {
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

const known = <Id extends string>(list: readonly TaxonomyEntry<Id>[], id: string, fallback: Id): Id =>
  list.find((entry) => entry.id === id)?.id ?? fallback;

/** The draft left in this tab (reload, sign-in round trip), with any id the taxonomy no longer has dropped. */
export function restoreDraft(): Draft {
  const draft = loadDraft(EMPTY_DRAFT);
  return {
    ...draft,
    type: known(INSIGHT_TYPES, draft.type, EMPTY_DRAFT.type),
    sentiment: known(SENTIMENTS, draft.sentiment, EMPTY_DRAFT.sentiment),
    priority: known(PRIORITIES, draft.priority, EMPTY_DRAFT.priority),
    productAreas: PRODUCT_AREAS.filter((area) => draft.productAreas.includes(area.id)).map((area) => area.id),
  };
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

/** The body of POST /api/v1/insights without id and capturedAt: exactly the fields the API accepts. */
export type InsightFields = Omit<InsightCreate, 'id' | 'capturedAt'>;

export function toInsightFields(draft: Draft, context: CaptureContext): InsightFields {
  const fields: InsightFields = {
    text: draft.text.trim(),
    type: draft.type,
    productAreas: [...draft.productAreas],
    sentiment: draft.sentiment,
    priority: draft.priority,
    tags: parseTags(draft.tags),
    followUp: draft.followUp,
    eventId: context.eventId,
    sessionId: context.eventId === null ? null : context.sessionId,
  };
  const title = draft.title.trim();
  if (title !== '') fields.title = title;
  const developer: NonNullable<InsightFields['developer']> = {};
  const role = draft.developerRole.trim();
  const company = draft.developerCompany.trim();
  const experience = draft.developerExperience.trim();
  if (role !== '') developer.role = role;
  if (company !== '') developer.company = company;
  if (experience !== '') developer.experience = experience;
  if (Object.keys(developer).length > 0) fields.developer = developer;
  return fields;
}

/** Checks the server would reject anyway, answered at once and without a round trip. */
export function localProblems(fields: InsightFields): string[] {
  const problems: string[] = [];
  if (fields.text === '') problems.push('Type what the developer said first.');
  const tags = fields.tags ?? [];
  if (tags.length > LIMITS.tagsPerInsight) problems.push(`Use at most ${LIMITS.tagsPerInsight} tags.`);
  const longTag = tags.find((tag) => tag.length > LIMITS.tag);
  if (longTag !== undefined) problems.push(`Tags can be at most ${LIMITS.tag} characters ("${longTag}").`);
  return problems;
}

/** Field names in problem+json (e.g. "body.text") as the labels a person sees on the form. */
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
};

export function fieldLabel(field: string): string {
  const path = field.replace(/^body\.?/, '');
  return FIELD_LABELS[path] ?? FIELD_LABELS[path.replace(/\.\d+$/, '')] ?? (path || 'Request');
}
