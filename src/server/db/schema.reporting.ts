import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { insights, people } from './schema.ts';

/**
 * Tables of reporting and analysis beyond the insight itself: saved list views, the history of duplicate
 * merges (a merge is reversible, so it is a record, not a rewrite), and pairs a reviewer marked "not a
 * duplicate" so they are not proposed again.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => people.id),
    name: text('name').notNull(),
    /** The list's filter as the API takes it (InsightFilter): applied inside each viewer's own scope. */
    filters: jsonb('filters').$type<Record<string, unknown>>().notNull(),
    /** Shared views are offered to everyone who reads reporting; each still sees only their own scope. */
    shared: boolean('shared').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('saved_views_owner_name_idx').on(t.ownerId, sql`lower(${t.name})`),
    index('saved_views_shared_idx').on(t.shared).where(sql`${t.shared}`),
  ],
);

export const insightMerges = pgTable(
  'insight_merges',
  {
    id: uuid('id').primaryKey(),
    primaryId: uuid('primary_id')
      .notNull()
      .references(() => insights.id),
    duplicateId: uuid('duplicate_id')
      .notNull()
      .references(() => insights.id),
    /** The similarity the detector reported when the merge was proposed (null for a manual merge). */
    similarity: real('similarity'),
    mergedBy: uuid('merged_by')
      .notNull()
      .references(() => people.id),
    mergedAt: ts('merged_at').notNull(),
    unmergedBy: uuid('unmerged_by').references(() => people.id),
    unmergedAt: ts('unmerged_at'),
  },
  (t) => [
    index('insight_merges_primary_idx').on(t.primaryId, t.mergedAt),
    index('insight_merges_duplicate_idx').on(t.duplicateId, t.mergedAt),
    /** At most one live merge per duplicate. */
    uniqueIndex('insight_merges_live_duplicate_idx').on(t.duplicateId).where(sql`${t.unmergedAt} is null`),
  ],
);

export const duplicateDismissals = pgTable(
  'duplicate_dismissals',
  {
    /** The pair, smaller id first, so (a, b) and (b, a) are one row. */
    insightA: uuid('insight_a')
      .notNull()
      .references(() => insights.id),
    insightB: uuid('insight_b')
      .notNull()
      .references(() => insights.id),
    dismissedBy: uuid('dismissed_by')
      .notNull()
      .references(() => people.id),
    dismissedAt: ts('dismissed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.insightA, t.insightB] }),
    index('duplicate_dismissals_b_idx').on(t.insightB),
  ],
);
