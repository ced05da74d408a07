import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
import { people } from './schema.ts';

/**
 * Tables of the observability layer: signed checkpoints of the audit chain, verification runs, archived
 * segments (retention), scheduled job runs, and product-usage facts for the analytics page.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A signed statement "the audit chain's head was event `seq` with hash `hash`". The signature (Ed25519, key
 * outside the database) covers the canonical JSON of seq, hash, created_at, key_id and the previous
 * checkpoint's signature, so a rewrite of the chain, a truncation, or a removed checkpoint is detectable.
 * Append-only like audit_events (trigger and grants).
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    createdAt: ts('created_at').notNull(),
    keyId: text('key_id').notNull(),
    algorithm: text('algorithm', { enum: ['Ed25519'] })
      .notNull()
      .default('Ed25519'),
    /** The previous checkpoint's signature (null for the first): checkpoints form their own chain. */
    prevSignature: text('prev_signature'),
    /** base64 Ed25519 signature. */
    signature: text('signature').notNull(),
  },
  (t) => [
    index('audit_checkpoints_created_idx').on(t.createdAt),
    index('audit_checkpoints_seq_idx').on(t.seq),
  ],
);

/** One run of the chain verifier (job, CLI or admin request): the readiness gate and metrics read the last. */
export const auditVerifications = pgTable(
  'audit_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at').notNull(),
    trigger: text('trigger', { enum: ['job', 'cli', 'admin'] }).notNull(),
    ok: boolean('ok').notNull(),
    eventsChecked: integer('events_checked').notNull(),
    checkpointsChecked: integer('checkpoints_checked').notNull().default(0),
    headSeq: bigint('head_seq', { mode: 'number' }),
    headHash: text('head_hash'),
    problemSeq: bigint('problem_seq', { mode: 'number' }),
    problemKind: text('problem_kind'),
    message: text('message'),
  },
  (t) => [index('audit_verifications_started_idx').on(t.startedAt)],
);

/**
 * An archived segment of the chain: events first_seq..last_seq written as OCSF JSON Lines to `location`, with
 * the file's SHA-256. `prunedAt` is set by `bi audit prune` (owner credentials) when the rows leave the table;
 * the verifier then starts from `lastHash` instead of the genesis hash.
 */
export const auditArchives = pgTable(
  'audit_archives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    createdAt: ts('created_at').notNull(),
    firstSeq: bigint('first_seq', { mode: 'number' }).notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    /** prev_hash of the first archived event (links the segment to what came before). */
    firstPrevHash: text('first_prev_hash').notNull(),
    lastHash: text('last_hash').notNull(),
    eventCount: integer('event_count').notNull(),
    location: text('location').notNull(),
    sha256: text('sha256').notNull(),
    keyId: text('key_id').notNull(),
    /** Ed25519 signature over the manifest (seq range, hashes, count, sha256). */
    signature: text('signature').notNull(),
    prunedAt: ts('pruned_at'),
  },
  (t) => [
    uniqueIndex('audit_archives_first_seq_uq').on(t.firstSeq),
    check('audit_archives_range', sql`${t.lastSeq} >= ${t.firstSeq}`),
  ],
);

/** Every run of a scheduled job, in-process or from a CronJob (`bi jobs run`): metrics and readiness read it. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    job: text('job').notNull(),
    trigger: text('trigger', { enum: ['in-process', 'cli'] }).notNull(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
    outcome: text('outcome', { enum: ['running', 'success', 'failure'] }).notNull(),
    /** A short message for a failure (no stack, no secrets). */
    error: text('error'),
    result: jsonb('result').$type<Record<string, unknown>>(),
  },
  (t) => [index('job_runs_job_started_idx').on(t.job, t.startedAt)],
);

/**
 * Product analytics: one row per person per UTC day they used the product, with the role and org slice they
 * had that day (a snapshot, so moving teams does not rewrite history).
 */
export const usageDays = pgTable(
  'usage_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    department: text('department'),
    team: text('team'),
    /** Which surfaces the person used that day: 'capture' (the PWA's API), 'admin', 'api' (tokens). */
    surfaces: jsonb('surfaces').$type<string[]>().notNull().default([]),
    firstSeenAt: ts('first_seen_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.personId] }), index('usage_days_person_idx').on(t.personId)],
);

/** Product analytics: engagement with dashboards and reports (views, exports, generated packages). */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    occurredAt: ts('occurred_at').notNull(),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'set null' }),
    role: text('role'),
    kind: text('kind').notNull(),
    /** What was used, e.g. 'dashboard', 'report:executive', 'export:csv'. */
    surface: text('surface').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('usage_events_kind_idx').on(t.kind, t.occurredAt),
    index('usage_events_person_idx').on(t.personId, t.occurredAt),
  ],
);

export type UsageSurface = 'capture' | 'admin' | 'api';
