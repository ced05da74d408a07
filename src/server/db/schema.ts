import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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

/**
 * The schema the code expects. Migrations in ./migrations are generated from it by drizzle-kit
 * (`npm run db:generate`) and checked in; test/db/schema.test.ts asserts a fresh migration matches it.
 * Only SQL PostgreSQL 15 accepts (PGlite embeds 18).
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    team: text('team'),
    groups: jsonb('groups').$type<string[]>().notNull().default([]),
    status: text('status', { enum: ['provisional', 'active', 'deactivated'] })
      .notNull()
      .default('provisional'),
    lastSignInAt: ts('last_sign_in_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_issuer_subject_uq').on(t.issuer, t.subject),
    index('people_team_idx').on(t.team),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['viewer', 'advocate', 'manager', 'admin'] }).notNull(),
    scope: jsonb('scope').$type<{ kind: 'org' } | { kind: 'teams'; teams: string[] }>().notNull(),
    amr: jsonb('amr').$type<string[]>().notNull().default([]),
    idToken: text('id_token'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    idleExpiresAt: ts('idle_expires_at').notNull(),
    absoluteExpiresAt: ts('absolute_expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_uq').on(t.tokenHash),
    index('sessions_person_idx').on(t.personId),
    index('sessions_absolute_expires_idx').on(t.absoluteExpiresAt),
  ],
);

/** An OIDC login in progress (state, nonce, PKCE verifier): server-side, single use, short-lived. */
export const authFlows = pgTable(
  'auth_flows',
  {
    idHash: text('id_hash').primaryKey(),
    state: text('state').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    returnTo: text('return_to').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('auth_flows_expires_idx').on(t.expiresAt)],
);

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    eventType: text('event_type').notNull(),
    region: text('region'),
    location: text('location'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    isActive: boolean('is_active').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('events_active_idx').on(t.isActive, t.startsOn)],
);

export const eventSessions = pgTable(
  'event_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    speaker: text('speaker'),
    room: text('room'),
    startsAt: ts('starts_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('event_sessions_event_idx').on(t.eventId)],
);

export const insights = pgTable(
  'insights',
  {
    id: uuid('id').primaryKey(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => people.id),
    text: text('text').notNull(),
    title: text('title'),
    type: text('type').notNull(),
    productAreas: text('product_areas').array().notNull().default(sql`'{}'::text[]`),
    sentiment: text('sentiment').notNull(),
    priority: text('priority').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    developer: jsonb('developer').$type<{ role?: string; company?: string; experience?: string }>(),
    followUp: boolean('follow_up').notNull().default(false),
    eventId: uuid('event_id').references(() => events.id),
    sessionId: uuid('session_id').references(() => eventSessions.id),
    source: text('source', { enum: ['capture', 'seed'] }).notNull(),
    taxonomyVersion: text('taxonomy_version').notNull(),
    version: integer('version').notNull().default(1),
    capturedAt: ts('captured_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('insights_captured_idx').on(t.capturedAt.desc(), t.id.desc()),
    index('insights_author_captured_idx').on(t.authorId, t.capturedAt.desc()),
    index('insights_event_idx').on(t.eventId),
    index('insights_product_areas_gin').using('gin', t.productAreas),
  ],
);

/**
 * Append-only, hash-chained audit log. No foreign keys (nothing cascades into it); a trigger added by
 * migration refuses UPDATE and DELETE. `seq` orders the chain; `hash` = SHA-256 over the canonical JSON of
 * the row's content and `prev_hash`.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    id: uuid('id').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    action: text('action').notNull(),
    outcome: text('outcome', { enum: ['success', 'failure'] }).notNull(),
    actorId: uuid('actor_id'),
    actorSessionId: uuid('actor_session_id'),
    actorRole: text('actor_role'),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    traceId: text('trace_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_id_uq').on(t.id),
    index('audit_events_action_idx').on(t.action, t.occurredAt),
    index('audit_events_actor_idx').on(t.actorId, t.occurredAt),
    index('audit_events_target_idx').on(t.targetType, t.targetId),
  ],
);

/** Fixed-window request counters shared by every replica (rate limits must hold across pods). */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_expires_idx').on(t.expiresAt)],
);
