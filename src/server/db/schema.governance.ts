import { sql } from 'drizzle-orm';
import {
  check,
  customType,
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
import { DECISION_STATUSES } from '../../contract/api/decisions.ts';
import { DEPLOY_ENVIRONMENTS, GATE_STATUSES } from '../../contract/api/readiness.ts';
import { RISK_LEVELS, RISK_STATUSES } from '../../contract/api/workspace.ts';
import { people } from './schema.ts';

/**
 * Tables of the governance layer (docs/readiness.md): the readiness model's manual attestations, operational
 * records (deployment verifications, rollback drills), runtime signals, snapshots; the decision register with
 * its versions; the program workspace (phases, workstreams, risks, comments); generated audience packages.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

// The vocabularies live in the API contract; the columns take them from there.
export const GATE_STATUS_VALUES = GATE_STATUSES;
export const DECISION_STATUS_VALUES = DECISION_STATUSES;
export const RISK_LEVEL_VALUES = RISK_LEVELS;
export const RISK_STATUS_VALUES = RISK_STATUSES;
export const DEPLOY_ENVIRONMENT_VALUES = DEPLOY_ENVIRONMENTS;

/** A manual gate's current attestation: who vouches for it, with what evidence, until when. One per gate. */
export const readinessAttestations = pgTable(
  'readiness_attestations',
  {
    gateId: text('gate_id').primaryKey(),
    status: text('status', { enum: GATE_STATUS_VALUES }).notNull(),
    /** The accountable owner (a team or a person's name, as the program names owners). */
    owner: text('owner').notNull(),
    evidenceUrl: text('evidence_url').notNull(),
    note: text('note'),
    attestedBy: uuid('attested_by').references(() => people.id, { onDelete: 'set null' }),
    attestedAt: ts('attested_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [check('readiness_attestations_expiry', sql`${t.expiresAt} > ${t.attestedAt}`)],
);

/** Operational evidence the gates read: a deployment verification or a rollback drill, per environment. */
export const readinessRecords = pgTable(
  'readiness_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['deployment_verification', 'rollback_drill'] }).notNull(),
    environment: text('environment', { enum: DEPLOY_ENVIRONMENT_VALUES }).notNull(),
    outcome: text('outcome', { enum: ['passed', 'failed'] }).notNull(),
    performedAt: ts('performed_at').notNull(),
    /** Null when recorded by a CLI run (`bi verify-deployment --record`), which has no person. */
    recordedBy: uuid('recorded_by').references(() => people.id, { onDelete: 'set null' }),
    source: text('source', { enum: ['api', 'cli'] }).notNull(),
    evidenceUrl: text('evidence_url'),
    notes: text('notes'),
    /** The checks a verification ran (name → ok/detail), or a drill's steps. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('readiness_records_kind_env_idx').on(t.kind, t.environment, t.performedAt)],
);

/** Last-seen runtime signals written by the running service (e.g. `metrics.scraped`), read by the gates. */
export const runtimeSignals = pgTable('runtime_signals', {
  key: text('key').primaryKey(),
  observedAt: ts('observed_at').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
});

/** A point-in-time readiness evaluation: the verdict and the full report, kept as history. */
export const readinessSnapshots = pgTable(
  'readiness_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    takenAt: ts('taken_at').notNull(),
    trigger: text('trigger', { enum: ['api', 'cli', 'job', 'package'] }).notNull(),
    takenBy: uuid('taken_by').references(() => people.id, { onDelete: 'set null' }),
    environment: text('environment', { enum: DEPLOY_ENVIRONMENT_VALUES }).notNull(),
    verdict: text('verdict', { enum: ['go', 'go_with_known_issues', 'no_go'] }).notNull(),
    /** The ReadinessReport (src/contract/api/readiness.ts) as evaluated. */
    report: jsonb('report').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('readiness_snapshots_taken_idx').on(t.takenAt)],
);

/** The decision register: one row per decision, its current state; every edit bumps `version`. */
export const decisions = pgTable(
  'decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Human reference, DEC-1, DEC-2, … (assigned in order, never reused). */
    number: integer('number').notNull(),
    workstream: text('workstream').notNull(),
    title: text('title').notNull(),
    direction: text('direction').notNull().default(''),
    owner: text('owner').notNull(),
    status: text('status', { enum: DECISION_STATUS_VALUES }).notNull(),
    dependsOn: uuid('depends_on').array().notNull().default(sql`'{}'::uuid[]`),
    nextAction: text('next_action').notNull().default(''),
    dueDate: date('due_date', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => people.id, { onDelete: 'set null' }),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => people.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('decisions_number_idx').on(t.number),
    index('decisions_owner_idx').on(t.owner),
    index('decisions_status_idx').on(t.status),
  ],
);

/** Every version of every decision (the state after the edit), so history is never last-write-wins. */
export const decisionVersions = pgTable(
  'decision_versions',
  {
    decisionId: uuid('decision_id')
      .notNull()
      .references(() => decisions.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    state: jsonb('state').$type<Record<string, unknown>>().notNull(),
    /** Field names that changed from the previous version (empty for version 1). */
    changed: text('changed').array().notNull().default(sql`'{}'::text[]`),
    changedAt: ts('changed_at').notNull(),
    changedBy: uuid('changed_by').references(() => people.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.decisionId, t.version] })],
);

/** Program phases in order; a phase's exit criteria are readiness gate ids. */
export const programPhases = pgTable('program_phases', {
  id: text('id').primaryKey(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  owner: text('owner').notNull(),
  exitGates: text('exit_gates').array().notNull().default(sql`'{}'::text[]`),
  targetDate: date('target_date', { mode: 'string' }),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const workstreams = pgTable(
  'workstreams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    owner: text('owner').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: DECISION_STATUS_VALUES }).notNull(),
    phaseId: text('phase_id').references(() => programPhases.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('workstreams_name_idx').on(sql`lower(${t.name})`)],
);

export const risks = pgTable(
  'risks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    level: text('level', { enum: RISK_LEVEL_VALUES }).notNull(),
    status: text('status', { enum: RISK_STATUS_VALUES }).notNull(),
    mitigation: text('mitigation').notNull().default(''),
    owner: text('owner').notNull(),
    workstreamId: uuid('workstream_id').references(() => workstreams.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => people.id, { onDelete: 'set null' }),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('risks_level_status_idx').on(t.level, t.status)],
);

/** A comment on a decision, risk, workstream or phase; @mentions resolved to people when written. */
export const programComments = pgTable(
  'program_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    targetType: text('target_type', { enum: ['decision', 'risk', 'workstream', 'phase'] }).notNull(),
    targetId: text('target_id').notNull(),
    authorId: uuid('author_id').references(() => people.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    mentions: uuid('mentions').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('program_comments_target_idx').on(t.targetType, t.targetId, t.createdAt),
    index('program_comments_mentions_idx').using('gin', t.mentions),
  ],
);

/** A generated audience package: the three renderings and their SHA-256, also recorded in the audit log. */
export const audiencePackages = pgTable(
  'audience_packages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    audience: text('audience', { enum: ['leadership', 'product', 'security', 'platform'] }).notNull(),
    generatedAt: ts('generated_at').notNull(),
    generatedBy: uuid('generated_by').references(() => people.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    markdown: text('markdown').notNull(),
    html: text('html').notNull(),
    pdf: bytea('pdf').notNull(),
    /** sha256 hex of each rendering, and of the three together ("package" = sha256 of the three hashes). */
    hashes: jsonb('hashes')
      .$type<{ markdown: string; html: string; pdf: string; package: string }>()
      .notNull(),
    /** The readiness snapshot taken for it (the verdict a package states is reproducible). */
    snapshotId: uuid('snapshot_id').references(() => readinessSnapshots.id, { onDelete: 'set null' }),
  },
  (t) => [index('audience_packages_generated_idx').on(t.audience, t.generatedAt)],
);
