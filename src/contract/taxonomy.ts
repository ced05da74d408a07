/**
 * The one taxonomy (REFERENCE §1). Every writer and every report uses these ids; labels are display text.
 * This file must stay free of runtime dependencies: the capture PWA imports it and has a bundle budget.
 * Changing a list is a versioned change: bump TAXONOMY_VERSION, and never remove an id that stored rows use
 * (retire it instead), so historic reports never go silently empty.
 */
export const TAXONOMY_VERSION = '2026.1';

export interface TaxonomyEntry<Id extends string = string> {
  readonly id: Id;
  readonly label: string;
}

export const INSIGHT_TYPES = [
  { id: 'pain_point', label: 'Pain Point' },
  { id: 'feature_request', label: 'Feature Request' },
  { id: 'bug_report', label: 'Bug Report' },
  { id: 'praise', label: 'Praise' },
  { id: 'question', label: 'Question' },
  { id: 'use_case', label: 'Use Case' },
  { id: 'competitive_mention', label: 'Competitive Mention' },
  { id: 'documentation', label: 'Documentation' },
  { id: 'other', label: 'Other' },
] as const satisfies readonly TaxonomyEntry[];

export const PRODUCT_AREAS = [
  { id: 'atlas', label: 'Atlas' },
  { id: 'atlas_search', label: 'Atlas Search' },
  { id: 'atlas_vector_search', label: 'Atlas Vector Search' },
  { id: 'stream_processing', label: 'Stream Processing' },
  { id: 'data_federation', label: 'Data Federation' },
  { id: 'charts', label: 'Charts' },
  { id: 'compass', label: 'Compass' },
  { id: 'drivers', label: 'Drivers' },
  { id: 'server', label: 'Server' },
  { id: 'aggregation', label: 'Aggregation' },
  { id: 'triggers_functions', label: 'Triggers & Functions' },
  { id: 'queryable_encryption', label: 'Queryable Encryption' },
  { id: 'data_modeling', label: 'Data Modeling' },
  { id: 'voyage_ai', label: 'Voyage AI' },
  { id: 'other', label: 'Other' },
] as const satisfies readonly TaxonomyEntry[];

export const SENTIMENTS = [
  { id: 'positive', label: 'Positive' },
  { id: 'neutral', label: 'Neutral' },
  { id: 'negative', label: 'Negative' },
] as const satisfies readonly TaxonomyEntry[];

export const PRIORITIES = [
  { id: 'low', label: 'Low' },
  { id: 'medium', label: 'Medium' },
  { id: 'high', label: 'High' },
  { id: 'critical', label: 'Critical' },
] as const satisfies readonly TaxonomyEntry[];

export const EVENT_TYPES = [
  { id: 'dev_day_1to1', label: '1:1 Dev Day' },
  { id: 'regional_dev_day', label: 'Regional Dev Day' },
  { id: 'workshop_webinar', label: 'Workshop/Webinar' },
  { id: 'build_and_learn', label: 'Build & Learn' },
  { id: 'office_hours', label: 'Office Hours' },
  { id: 'hackathon', label: 'Hackathon' },
  { id: 'architect_day', label: 'Architect Day' },
  { id: 'virtual_primer', label: 'Virtual Primer' },
  { id: 'other', label: 'Other' },
] as const satisfies readonly TaxonomyEntry[];

export const REGIONS = [
  { id: 'AMER', label: 'AMER' },
  { id: 'EMEA', label: 'EMEA' },
  { id: 'APAC', label: 'APAC' },
  { id: 'LATAM', label: 'LATAM' },
] as const satisfies readonly TaxonomyEntry[];

type Ids<T extends readonly TaxonomyEntry[]> = T[number]['id'];
export type InsightType = Ids<typeof INSIGHT_TYPES>;
export type ProductArea = Ids<typeof PRODUCT_AREAS>;
export type Sentiment = Ids<typeof SENTIMENTS>;
export type Priority = Ids<typeof PRIORITIES>;
export type EventType = Ids<typeof EVENT_TYPES>;
export type Region = Ids<typeof REGIONS>;

/** The ids of a taxonomy list as a non-empty tuple (what z.enum wants). */
export function idsOf<const T extends readonly TaxonomyEntry[]>(list: T): [Ids<T>, ...Ids<T>[]] {
  return list.map((entry) => entry.id) as [Ids<T>, ...Ids<T>[]];
}

/** Display label for an id, or the id itself when unknown (never an empty cell). */
export function labelOf(list: readonly TaxonomyEntry[], id: string): string {
  return list.find((entry) => entry.id === id)?.label ?? id;
}

export const INSIGHT_DEFAULTS = {
  type: 'feature_request',
  sentiment: 'neutral',
  priority: 'medium',
} as const satisfies { type: InsightType; sentiment: Sentiment; priority: Priority };
