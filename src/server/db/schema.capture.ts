import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { BUG_PRIORITIES, BUG_STATUSES } from '../../contract/api/bug-reports.ts';
import { ATTACHMENT_KIND_VALUES } from '../../contract/api/capture.ts';
import { REACTION_KINDS } from '../../contract/api/social.ts';
import { TELEMETRY_EVENT_KINDS } from '../../contract/api/telemetry.ts';
import { insights, people } from './schema.ts';

/**
 * Tables of the field-capture app beyond the insight itself: attachments (photos, voice recordings), reactions
 * and team notes, bug reports sent from the app, and the app's own telemetry. Ids of everything the app creates
 * offline are generated on the device, so a resend is an upsert (`on conflict do nothing`), never a second row.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Raw bytes (photos, audio, screenshots). Stored in the database: private, backed up with it, no extra volume. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const insightAttachments = pgTable(
  'insight_attachments',
  {
    id: uuid('id').primaryKey(),
    insightId: uuid('insight_id')
      .notNull()
      .references(() => insights.id),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => people.id),
    kind: text('kind', { enum: ATTACHMENT_KIND_VALUES }).notNull(),
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('insight_attachments_insight_idx').on(t.insightId, t.createdAt)],
);

export const insightReactions = pgTable(
  'insight_reactions',
  {
    insightId: uuid('insight_id')
      .notNull()
      .references(() => insights.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    reaction: text('reaction', { enum: REACTION_KINDS }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.insightId, t.personId, t.reaction] })],
);

export const insightNotes = pgTable(
  'insight_notes',
  {
    id: uuid('id').primaryKey(),
    insightId: uuid('insight_id')
      .notNull()
      .references(() => insights.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => people.id),
    /** A reply names the note it answers (one level of threading). */
    parentId: uuid('parent_id'),
    body: text('body').notNull(),
    /** People @mentioned in the body; they find the note under "Mentions" while the insight is in their scope. */
    mentions: uuid('mentions').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('insight_notes_insight_idx').on(t.insightId, t.createdAt),
    index('insight_notes_mentions_gin').using('gin', t.mentions),
  ],
);

export const bugReports = pgTable(
  'bug_reports',
  {
    id: uuid('id').primaryKey(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => people.id),
    description: text('description').notNull(),
    /** The screen (tab) the person reported from. */
    screen: text('screen').notNull(),
    appVersion: text('app_version').notNull(),
    device: jsonb('device').$type<Record<string, string | number | boolean>>().notNull(),
    screenshot: bytea('screenshot'),
    screenshotType: text('screenshot_type'),
    status: text('status', { enum: BUG_STATUSES }).notNull().default('new'),
    triagedBy: uuid('triaged_by').references(() => people.id),
    triagedAt: ts('triaged_at'),
    /** Set when an admin triages it (null = not yet prioritised). */
    priority: text('priority', { enum: BUG_PRIORITIES }),
    /** Who is working on it. */
    assigneeId: uuid('assignee_id').references(() => people.id),
    /** Triage edits carry the version they saw; a stale edit is a 409. */
    version: integer('version').notNull().default(1),
    reportedAt: ts('reported_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('bug_reports_status_idx').on(t.status, t.createdAt),
    index('bug_reports_assignee_idx').on(t.assigneeId).where(sql`${t.assigneeId} is not null`),
  ],
);

/** The triage thread of a bug report: notes by admins, oldest first, never edited in place. */
export const bugReportNotes = pgTable(
  'bug_report_notes',
  {
    id: uuid('id').primaryKey(),
    bugReportId: uuid('bug_report_id')
      .notNull()
      .references(() => bugReports.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => people.id),
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('bug_report_notes_report_idx').on(t.bugReportId, t.createdAt)],
);

/** Capture-app telemetry events (client-generated ids: a resent batch is stored once). */
export const clientTelemetry = pgTable(
  'client_telemetry',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    kind: text('kind', { enum: TELEMETRY_EVENT_KINDS }).notNull(),
    value: doublePrecision('value').notNull(),
    attrs: jsonb('attrs').$type<Record<string, string>>().notNull(),
    appVersion: text('app_version').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [index('client_telemetry_kind_time_idx').on(t.kind, t.occurredAt)],
);
