import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { eventSessions, events, insights, people } from './schema.ts';

/**
 * Tables of program operations: who is assigned to an event, PMO spreadsheet imports and the column aliases
 * they teach, public feedback forms and their responses, and the weekly Slack digest's runs.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An advocate assigned to an event: on-site, remote, or volunteering to travel. */
export const eventAssignments = pgTable(
  'event_assignments',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    role: text('role', { enum: ['on_site', 'remote', 'volunteer_travel'] }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.personId] }),
    index('event_assignments_person_idx').on(t.personId),
  ],
);

/**
 * One PMO spreadsheet import: the uploaded CSV (kept until applied, so apply needs no second upload), the
 * column mapping in force, and progress and row counts while and after it applies.
 */
export const eventImports = pgTable(
  'event_imports',
  {
    id: uuid('id').primaryKey(),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => people.id),
    fileName: text('file_name').notNull(),
    /** SHA-256 of the file's bytes: the same file imported twice is recognised. */
    fileSha256: text('file_sha256').notNull(),
    content: text('content'),
    status: text('status', { enum: ['previewed', 'applying', 'applied', 'failed'] }).notNull(),
    /** Header (as written in the file) → import field id, or null for an ignored column. */
    mapping: jsonb('mapping').$type<Record<string, string | null>>().notNull(),
    totalRows: integer('total_rows').notNull(),
    processedRows: integer('processed_rows').notNull().default(0),
    /** created / updated / unchanged / skipped / errors / blank. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    error: text('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    appliedAt: ts('applied_at'),
  },
  (t) => [index('event_imports_actor_idx').on(t.actorId, t.createdAt)],
);

/**
 * A header spelling learned from a confirmed mapping ("DA Onsite 👥" → assigned_on_site). Applied before fuzzy
 * matching on every later import; keyed by the header's normalised form.
 */
export const importColumnAliases = pgTable(
  'import_column_aliases',
  {
    id: uuid('id').primaryKey(),
    headerKey: text('header_key').notNull(),
    header: text('header').notNull(),
    field: text('field').notNull(),
    learnedBy: uuid('learned_by').references(() => people.id),
    learnedFromImport: uuid('learned_from_import').references(() => eventImports.id, {
      onDelete: 'set null',
    }),
    uses: integer('uses').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('import_column_aliases_key_uq').on(t.headerKey)],
);

/**
 * A public feedback form at /f/<slug>. Responses become insights attributed to the owner (and the event). The
 * closing date and the response cap are enforced in the same statement that counts a response.
 */
export const feedbackForms = pgTable(
  'feedback_forms',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    consentText: text('consent_text').notNull(),
    template: text('template').notNull(),
    /** The questions (FormQuestion[] of contract/api/forms.ts). */
    questions: jsonb('questions').$type<Record<string, unknown>[]>().notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => people.id),
    eventId: uuid('event_id').references(() => events.id, { onDelete: 'set null' }),
    sessionId: uuid('session_id').references(() => eventSessions.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['draft', 'open', 'closed'] })
      .notNull()
      .default('draft'),
    closesAt: ts('closes_at'),
    responseCap: integer('response_cap'),
    responseCount: integer('response_count').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('feedback_forms_slug_uq').on(t.slug),
    index('feedback_forms_owner_idx').on(t.ownerId, t.createdAt),
    check(
      'feedback_forms_cap_ck',
      sql`${t.responseCap} is null or (${t.responseCap} > 0 and ${t.responseCount} <= ${t.responseCap})`,
    ),
  ],
);

/** One submitted response: its answers as given, the insight it became, and a keyed hash of the sender's IP. */
export const formResponses = pgTable(
  'form_responses',
  {
    id: uuid('id').primaryKey(),
    formId: uuid('form_id')
      .notNull()
      .references(() => feedbackForms.id, { onDelete: 'cascade' }),
    insightId: uuid('insight_id')
      .notNull()
      .references(() => insights.id),
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull(),
    /** HMAC of the sender's IP (never the IP itself): enough to spot a flood, not to identify anyone. */
    ipHash: text('ip_hash').notNull(),
    submittedAt: ts('submitted_at').notNull().defaultNow(),
  },
  (t) => [
    index('form_responses_form_idx').on(t.formId, t.submittedAt),
    uniqueIndex('form_responses_insight_uq').on(t.insightId),
  ],
);

/**
 * One weekly digest delivery (scheduled or "send now"). A scheduled week is claimed by inserting its row, so
 * two replicas never both post it.
 */
export const digestRuns = pgTable(
  'digest_runs',
  {
    id: uuid('id').primaryKey(),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    actorId: uuid('actor_id').references(() => people.id),
    status: text('status', { enum: ['sending', 'sent', 'failed'] }).notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    /** SHA-256 of the Block Kit payload that was posted. */
    payloadSha256: text('payload_sha256'),
    createdAt: ts('created_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    uniqueIndex('digest_runs_scheduled_week_uq').on(t.periodStart).where(sql`${t.trigger} = 'schedule'`),
    index('digest_runs_created_idx').on(t.createdAt),
  ],
);
