import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
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
import type { Scope } from '../../contract/roles.ts';

/**
 * The schema the code expects. Migrations in ./migrations are generated from it by drizzle-kit
 * (`npm run db:generate`) and checked in; test/db/schema.test.ts asserts a fresh migration matches it.
 * Only SQL PostgreSQL 15 accepts (PGlite embeds 18).
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A full-text search document; only ever written by PostgreSQL (a generated column), read in queries. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Set at first sign-in; null while the org source has provisioned the person but they never signed in. */
    issuer: text('issuer'),
    subject: text('subject'),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    team: text('team'),
    /** Groups that count (after the claims model's filter): from SCIM memberships when SCIM manages the person, else from the ID token. */
    groups: jsonb('groups').$type<string[]>().notNull().default([]),
    employeeNumber: text('employee_number'),
    status: text('status', { enum: ['provisional', 'active', 'deactivated'] })
      .notNull()
      .default('provisional'),
    /** SCIM userName (usually the IdP login); matched case-insensitively. */
    userName: text('user_name'),
    /** The IdP's own id for the person, as SCIM externalId. */
    externalId: text('external_id'),
    department: text('department'),
    title: text('title'),
    /** The resolved manager; `managerRef` keeps what the source sent (an id, employee number or login). */
    managerId: uuid('manager_id').references((): AnyPgColumn => people.id),
    managerRef: text('manager_ref'),
    builderRelations: boolean('builder_relations').notNull().default(false),
    /** Which org source manages this person's org record (null: only SSO claims so far). */
    orgSource: text('org_source', { enum: ['scim', 'hr'] }),
    /** What each source last asserted about the person, to report conflicts between sources. */
    sourceRecords: jsonb('source_records')
      .$type<Record<string, Record<string, unknown>>>()
      .notNull()
      .default({}),
    /** The last SCIM representation (core and extension attributes, never a password) for round-trips. */
    scimResource: jsonb('scim_resource').$type<Record<string, unknown>>(),
    deactivatedAt: ts('deactivated_at'),
    lastSignInAt: ts('last_sign_in_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_issuer_subject_uq').on(t.issuer, t.subject),
    uniqueIndex('people_user_name_uq').on(sql`lower(${t.userName})`),
    uniqueIndex('people_employee_number_uq').on(t.employeeNumber),
    index('people_email_idx').on(sql`lower(${t.email})`),
    index('people_team_idx').on(t.team),
    index('people_manager_idx').on(t.managerId),
    index('people_department_idx').on(t.department),
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
    scope: jsonb('scope').$type<Scope>().notNull(),
    amr: jsonb('amr').$type<string[]>().notNull().default([]),
    acr: text('acr'),
    /** When the IdP last authenticated the person (auth_time), and when that met the MFA expectation. */
    authTime: ts('auth_time'),
    mfaAt: ts('mfa_at'),
    kind: text('kind', { enum: ['sso', 'break_glass'] })
      .notNull()
      .default('sso'),
    breakGlassUseId: uuid('break_glass_use_id'),
    /** The IdP session id (`sid`), so back-channel logout can end exactly the sessions it names. */
    idpSid: text('idp_sid'),
    idToken: text('id_token'),
    /** After a rotation the old token still works for a few seconds (requests already in flight). */
    previousTokenHash: text('previous_token_hash'),
    previousValidUntil: ts('previous_valid_until'),
    claimsModelVersion: integer('claims_model_version'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    idleExpiresAt: ts('idle_expires_at').notNull(),
    absoluteExpiresAt: ts('absolute_expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_uq').on(t.tokenHash),
    index('sessions_previous_token_hash_idx').on(t.previousTokenHash),
    index('sessions_idp_sid_idx').on(t.idpSid),
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
    /** A step-up re-authentication for this session (the callback must name the same person). */
    stepUpSessionId: uuid('step_up_session_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('auth_flows_expires_idx').on(t.expiresAt)],
);

/**
 * An event the program office plans (REFERENCE §1). `owner_id` is the accountable person: managers manage the
 * events whose owner is in their reporting scope, admins all. The name + start date identifies an event (the
 * PMO import deduplicates on it). Edits carry a version: a stale edit is a 409, never a silent overwrite.
 */
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
    quarter: text('quarter'),
    status: text('status').notNull().default('planning'),
    engagementType: text('engagement_type'),
    attendance: text('attendance').notNull().default('on_site'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /** IANA time zone of the venue (sessions' times are shown in it). */
    timezone: text('timezone'),
    accountName: text('account_name'),
    accountSegment: text('account_segment'),
    champion: text('champion'),
    marketer: text('marketer'),
    eventUrl: text('event_url'),
    trackerUrl: text('tracker_url'),
    salesforceUrl: text('salesforce_url'),
    slackChannel: text('slack_channel'),
    techStack: text('tech_stack').array().notNull().default(sql`'{}'::text[]`),
    travelStatus: text('travel_status'),
    ownerId: uuid('owner_id').references(() => people.id),
    createdBy: uuid('created_by').references(() => people.id),
    updatedBy: uuid('updated_by').references(() => people.id),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('events_active_idx').on(t.isActive, t.startsOn),
    uniqueIndex('events_name_start_uq').on(sql`lower(${t.name})`, t.startsOn),
    index('events_starts_idx').on(t.startsOn),
    index('events_owner_idx').on(t.ownerId),
    check('events_dates_ck', sql`${t.endsOn} >= ${t.startsOn}`),
    check(
      'events_geo_ck',
      sql`(${t.latitude} is null or ${t.latitude} between -90 and 90) and (${t.longitude} is null or ${t.longitude} between -180 and 180)`,
    ),
  ],
);

/** A talk or workshop inside an event, with what the advocates learned there. */
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
    endsAt: ts('ends_at'),
    audienceSize: integer('audience_size'),
    commonQuestions: text('common_questions'),
    resonantDemos: text('resonant_demos'),
    engagementNotes: text('engagement_notes'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('event_sessions_event_idx').on(t.eventId),
    check('event_sessions_audience_ck', sql`${t.audienceSize} is null or ${t.audienceSize} >= 0`),
  ],
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
    source: text('source', { enum: ['capture', 'voice', 'seed', 'form'] }).notNull(),
    taxonomyVersion: text('taxonomy_version').notNull(),
    version: integer('version').notNull().default(1),
    capturedAt: ts('captured_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /**
     * Follow-up workflow. `follow_up` (the capture flag) is true exactly when a status is set: flagging an
     * insight opens it; owner and linked issue (Jira / GitHub URL) are set by whoever works it.
     */
    followUpStatus: text('follow_up_status', { enum: ['open', 'in_progress', 'done', 'wont_do'] }),
    followUpOwnerId: uuid('follow_up_owner_id').references(() => people.id),
    followUpIssueUrl: text('follow_up_issue_url'),
    followUpUpdatedAt: ts('follow_up_updated_at'),
    /**
     * Set while this insight is merged into another as its duplicate (insight_merges holds the history). A
     * merged duplicate keeps its row, reactions and notes, so an unmerge restores it exactly; lists and every
     * report skip it, so it counts once, as its primary.
     */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => insights.id),
    /** Full-text search document: title (weight A), text (B), tags (C); English stemming. */
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, text), 'B') || setweight(to_tsvector('english'::regconfig, bi_tags_text(tags)), 'C')`,
      ),
  },
  (t) => [
    index('insights_captured_order_idx').on(t.capturedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // By author and time: insights_author_captured_cover_idx, created in migration 0009 because drizzle's index
    // builder has no INCLUDE. It covers the columns scoped reports aggregate, so a manager's dashboard reads the
    // index alone (docs/performance.md); test/db/schema.test.ts checks it exists.
    index('insights_event_idx').on(t.eventId, t.capturedAt.desc()),
    index('insights_session_idx').on(t.sessionId),
    index('insights_type_captured_idx').on(t.type, t.capturedAt.desc()),
    index('insights_sentiment_captured_idx').on(t.sentiment, t.capturedAt.desc()),
    index('insights_priority_captured_idx').on(t.priority, t.capturedAt.desc()),
    index('insights_source_captured_idx').on(t.source, t.capturedAt.desc()),
    index('insights_follow_up_idx')
      .on(t.followUpStatus, t.capturedAt.desc())
      .where(sql`${t.followUpStatus} is not null`),
    index('insights_follow_up_owner_idx').on(t.followUpOwnerId).where(sql`${t.followUpOwnerId} is not null`),
    index('insights_merged_into_idx').on(t.mergedIntoId).where(sql`${t.mergedIntoId} is not null`),
    index('insights_product_areas_gin').using('gin', t.productAreas),
    index('insights_tags_gin').using('gin', t.tags),
    index('insights_search_gin').using('gin', t.searchVector),
    index('insights_text_trgm').using('gin', sql`${t.text} gin_trgm_ops`),
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
    /** Set when the actor used a personal or service API token instead of a session. */
    actorTokenId: uuid('actor_token_id'),
    /** Set on every event written inside a break-glass session. */
    actorBreakGlass: boolean('actor_break_glass').notNull().default(false),
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

/**
 * The trusted-claims model: which issuer, which claims, which groups matter, role mapping and the MFA
 * expectation. Versioned; exactly one version is active. Changing it is an audited admin action; a second
 * admin approves a version (the readiness model reads that).
 */
export const claimsModels = pgTable(
  'claims_models',
  {
    version: integer('version').primaryKey(),
    model: jsonb('model').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['active', 'superseded'] }).notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    approvedBy: uuid('approved_by'),
    approvedAt: ts('approved_at'),
  },
  (t) => [uniqueIndex('claims_models_one_active_uq').on(t.status).where(sql`status = 'active'`)],
);

/** Logout tokens already honoured (Universal Logout, back-channel): a replayed jti is refused. */
export const consumedJtis = pgTable(
  'consumed_jtis',
  {
    key: text('key').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('consumed_jtis_expires_idx').on(t.expiresAt)],
);

/** What the app last saw of the identity provider (one row): break-glass opens only after a sustained outage. */
export const idpStatus = pgTable('idp_status', {
  id: text('id').primaryKey(),
  lastSuccessAt: ts('last_success_at'),
  lastFailureAt: ts('last_failure_at'),
  failingSince: ts('failing_since'),
  lastError: text('last_error'),
});

export const breakGlassPrincipals = pgTable(
  'break_glass_principals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    secretHash: text('secret_hash').notNull(),
    /** AES-256-GCM ciphertext of the TOTP secret (key derived from SESSION_SECRET). */
    totpSecret: text('totp_secret').notNull(),
    lastTotpStep: bigint('last_totp_step', { mode: 'number' }),
    status: text('status', { enum: ['active', 'revoked'] })
      .notNull()
      .default('active'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: ts('locked_until'),
    enrolledAt: ts('enrolled_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    lastDrillAt: ts('last_drill_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('break_glass_principals_name_uq').on(t.name)],
);

/** A second admin's approval to use break-glass while the IdP is up. Single use, short-lived. */
export const breakGlassApprovals = pgTable(
  'break_glass_approvals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    principalId: uuid('principal_id')
      .notNull()
      .references(() => breakGlassPrincipals.id),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'denied', 'used', 'expired'] }).notNull(),
    requestedAt: ts('requested_at').notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('break_glass_approvals_principal_idx').on(t.principalId, t.status)],
);

/** Each break-glass sign-in, and its post-use review that an admin must close. */
export const breakGlassUses = pgTable(
  'break_glass_uses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    principalId: uuid('principal_id')
      .notNull()
      .references(() => breakGlassPrincipals.id),
    mode: text('mode', { enum: ['idp_unreachable', 'approved'] }).notNull(),
    approvalId: uuid('approval_id'),
    reason: text('reason').notNull(),
    startedAt: ts('started_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    reviewStatus: text('review_status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: ts('reviewed_at'),
    reviewNotes: text('review_notes'),
  },
  (t) => [index('break_glass_uses_review_idx').on(t.reviewStatus, t.startedAt)],
);

/**
 * Personal and service API tokens. Only a SHA-256 hash is stored; `prefix` is the visible start of the token
 * (to recognise it in a list). A token never exceeds its owner's current role and scope.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['personal', 'service'] }).notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => people.id),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull(),
    status: text('status', { enum: ['requested', 'approved', 'active', 'rejected', 'revoked'] }).notNull(),
    prefix: text('prefix'),
    tokenHash: text('token_hash'),
    lifetimeDays: integer('lifetime_days').notNull(),
    justification: text('justification'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at'),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
    lastUsedAt: ts('last_used_at'),
    lastUsedIp: text('last_used_ip'),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by'),
    revokeReason: text('revoke_reason'),
    /** This token's own request budget per minute; null = the route's default budget. */
    rateLimitPerMinute: integer('rate_limit_per_minute'),
  },
  (t) => [
    uniqueIndex('api_tokens_token_hash_uq').on(t.tokenHash),
    index('api_tokens_owner_idx').on(t.ownerId, t.status),
    index('api_tokens_status_idx').on(t.status, t.createdAt),
  ],
);

/** SCIM groups as the IdP pushes them. Members' group names feed `people.groups` for SCIM-managed people. */
export const scimGroups = pgTable(
  'scim_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    displayName: text('display_name').notNull(),
    externalId: text('external_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('scim_groups_display_name_uq').on(sql`lower(${t.displayName})`)],
);

export const scimGroupMembers = pgTable(
  'scim_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => scimGroups.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.personId] }),
    index('scim_group_members_person_idx').on(t.personId),
  ],
);

/** The IdP's bearer credential for /scim/v2: hashed, rotatable, separate from user API tokens. */
export const scimCredentials = pgTable(
  'scim_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    status: text('status', { enum: ['active', 'revoked'] })
      .notNull()
      .default('active'),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('scim_credentials_token_hash_uq').on(t.tokenHash)],
);

/** The authoritative org sources (scim, hr): when each last synced, and how stale is too stale. */
export const orgSources = pgTable('org_sources', {
  id: text('id', { enum: ['scim', 'hr'] }).primaryKey(),
  enabled: boolean('enabled').notNull().default(true),
  maxStalenessMinutes: integer('max_staleness_minutes').notNull(),
  lastSuccessAt: ts('last_success_at'),
  lastAttemptAt: ts('last_attempt_at'),
  lastError: text('last_error'),
  lastCounts: jsonb('last_counts').$type<Record<string, number>>(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** HR feed imports: the dry-run diff is kept so an admin applies exactly what they previewed. */
export const orgImports = pgTable(
  'org_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    format: text('format', { enum: ['csv', 'json'] }).notNull(),
    status: text('status', { enum: ['previewed', 'applied', 'discarded', 'failed'] }).notNull(),
    rows: jsonb('rows').$type<Record<string, unknown>[]>().notNull(),
    diff: jsonb('diff').$type<Record<string, unknown>>().notNull(),
    /** Fingerprint of the org when previewed: applying refuses if people changed since. */
    baseFingerprint: text('base_fingerprint').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    appliedAt: ts('applied_at'),
  },
  (t) => [index('org_imports_created_idx').on(t.createdAt)],
);

/** Versioned entitlement rules; one active version; a change may wait for a second approver. */
export const entitlementRuleSets = pgTable(
  'entitlement_rule_sets',
  {
    version: integer('version').primaryKey(),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'active', 'superseded', 'rejected'] }).notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    approvedBy: uuid('approved_by'),
    approvedAt: ts('approved_at'),
    activatedAt: ts('activated_at'),
  },
  (t) => [uniqueIndex('entitlement_rule_sets_one_active_uq').on(t.status).where(sql`status = 'active'`)],
);

/** Time-bound access exceptions: requested with a justification, approved by someone else, always expiring. */
export const accessExceptions = pgTable(
  'access_exceptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => people.id),
    role: text('role', { enum: ['viewer', 'advocate', 'manager', 'admin'] }).notNull(),
    scopeKind: text('scope_kind', { enum: ['self', 'team', 'tree', 'org_unit', 'all'] }).notNull(),
    /** team name, manager person id or org unit; null = the subject's own team, tree or unit. */
    scopeTarget: text('scope_target'),
    justification: text('justification').notNull(),
    status: text('status', { enum: ['requested', 'active', 'rejected', 'expired', 'revoked'] }).notNull(),
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: ts('requested_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
    revokedBy: uuid('revoked_by'),
    revokedAt: ts('revoked_at'),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    index('access_exceptions_subject_idx').on(t.subjectId, t.status),
    index('access_exceptions_status_idx').on(t.status, t.expiresAt),
  ],
);

export const accessReviewCampaigns = pgTable(
  'access_review_campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['privileged', 'builder_relations', 'custom'] }).notNull(),
    selection: jsonb('selection').$type<string[]>(),
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    dueAt: ts('due_at').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    closedBy: uuid('closed_by'),
    reportSha256: text('report_sha256'),
  },
  (t) => [index('access_review_campaigns_status_idx').on(t.status, t.dueAt)],
);

/** One item per person × entitlement × source; the reviewer is the subject's manager (fallback an admin). */
export const accessReviewItems = pgTable(
  'access_review_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => accessReviewCampaigns.id),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => people.id),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => people.id),
    entitlement: jsonb('entitlement').$type<Record<string, unknown>>().notNull(),
    source: text('source', { enum: ['idp_group', 'org', 'exception'] }).notNull(),
    decision: text('decision', { enum: ['keep', 'revoke'] }),
    comment: text('comment'),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    remediation: text('remediation', { enum: ['none', 'exception_revoked', 'removal_requested'] }),
    lastRemindedAt: ts('last_reminded_at'),
  },
  (t) => [
    index('access_review_items_campaign_idx').on(t.campaignId),
    index('access_review_items_reviewer_idx').on(t.reviewerId, t.decision),
  ],
);

/** Access a review revoked that lives outside the app (IdP group, HR record): someone must remove it there. */
export const accessRemovalRequests = pgTable(
  'access_removal_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => accessReviewItems.id),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => people.id),
    source: text('source', { enum: ['idp_group', 'org'] }).notNull(),
    detail: text('detail').notNull(),
    status: text('status', { enum: ['open', 'done'] }).notNull(),
    createdAt: ts('created_at').notNull(),
    resolvedBy: uuid('resolved_by'),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [index('access_removal_requests_status_idx').on(t.status, t.createdAt)],
);

// The capture app's tables (attachments, reactions, notes, bug reports, client telemetry) live in their own file.
export * from './schema.capture.ts';
export * from './schema.governance.ts';
export * from './schema.observability.ts';
export * from './schema.program.ts';
export * from './schema.reporting.ts';
