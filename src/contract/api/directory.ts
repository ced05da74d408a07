import { z } from 'zod';
import { ROLES } from '../roles.ts';
import {
  Cursor,
  IsoDateTime,
  PageLimit,
  QueryBoolean,
  RoleSchema,
  refuseControlCharacters,
  ScopeSchema,
  Uuid,
} from './common.ts';
import { Entitlement } from './entitlements.ts';
import { PERSON_STATUSES } from './me.ts';

/**
 * The directory: the org as the org sources (SCIM, HR feed) describe it — HR feed imports (dry run, then an
 * atomic apply), source freshness, reporting-hierarchy issues, people with their effective access and its
 * provenance, and disagreements between sources. Dependency-light: the web apps import it.
 */
export const ORG_SOURCE_IDS = ['scim', 'hr'] as const;
export const OrgSourceId = z.enum(ORG_SOURCE_IDS);
/** Who asserted something about a person: an org source, or the ID token at sign-in. */
export const ASSERTING_SOURCES = ['scim', 'hr', 'oidc'] as const;
export const AssertingSource = z.enum(ASSERTING_SOURCES);

export const HR_FEED_FORMATS = ['csv', 'json'] as const;
/** Bounds of an HR feed file. */
export const HR_FEED_LIMITS = {
  bytes: 10 * 1024 * 1024,
  rows: 50_000,
  fileName: 255,
  employeeNumber: 64,
  email: 254,
  name: 200,
  department: 200,
  title: 200,
  /** Row errors listed in one answer (the total is always given). */
  errorsListed: 200,
  /** Items listed per diff list in an answer (the counts are always exact). */
  diffItemsListed: 1000,
} as const;

/** Applying an import that deactivates more than this share of HR-managed people needs a typed confirmation. */
export const MASS_LEAVERS = { percent: 10, minimum: 5 } as const;

/** Maximum staleness an admin may set for a source: 15 minutes to 30 days. */
export const STALENESS_MINUTES = { min: 15, max: 30 * 24 * 60 } as const;

export const OrgImportCreate = refuseControlCharacters(
  z.strictObject({
    fileName: z.string().trim().min(1, 'must not be empty').max(HR_FEED_LIMITS.fileName),
    format: z.enum(HR_FEED_FORMATS),
    content: z
      .string()
      .min(1, 'the file is empty')
      .max(HR_FEED_LIMITS.bytes, `the file must be at most ${HR_FEED_LIMITS.bytes} bytes`)
      .describe('The file as text (UTF-8). CSV with a header row, or JSON: an array or {"people": [...]}'),
  }),
);
export type OrgImportCreate = z.input<typeof OrgImportCreate>;

const PersonRef = z.object({ id: Uuid, name: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;

/** A field value as a diff shows it (a manager as "Name (employee number)"). */
const DiffValue = z.union([z.string(), z.boolean()]).nullable();

export const MOVER_FIELDS = [
  'email',
  'name',
  'employeeNumber',
  'manager',
  'department',
  'title',
  'builderRelations',
  'status',
  'orgSource',
] as const;
export type MoverField = (typeof MOVER_FIELDS)[number];

export const ImportJoiner = z.object({
  row: z.number().int(),
  employeeNumber: z.string(),
  email: z.string(),
  name: z.string(),
  department: z.string().nullable(),
  title: z.string().nullable(),
  manager: z.string().nullable().describe('The manager as "Name (employee number)"; null: top of the org'),
  builderRelations: z.boolean(),
});
export type ImportJoiner = z.infer<typeof ImportJoiner>;
export const ImportMover = z.object({
  row: z.number().int(),
  personId: Uuid,
  employeeNumber: z.string(),
  name: z.string(),
  changes: z.array(z.object({ field: z.enum(MOVER_FIELDS), before: DiffValue, after: DiffValue })),
});
export type ImportMover = z.infer<typeof ImportMover>;
export const ImportLeaver = z.object({
  personId: Uuid,
  employeeNumber: z.string().nullable(),
  name: z.string(),
  email: z.string(),
});
export type ImportLeaver = z.infer<typeof ImportLeaver>;
export const ImportConflict = z.object({
  row: z.number().int(),
  personId: Uuid,
  employeeNumber: z.string().nullable(),
  name: z.string(),
  managingSource: OrgSourceId,
  fields: z.array(
    z.object({
      field: z.enum(MOVER_FIELDS),
      inEffect: DiffValue.describe("The managing source's value, which stays"),
      asserted: DiffValue.describe('What the HR file says (recorded, not applied)'),
    }),
  ),
});
export type ImportConflict = z.infer<typeof ImportConflict>;
export const ImportCounts = z.object({
  rows: z.number().int(),
  joiners: z.number().int(),
  movers: z.number().int(),
  leavers: z.number().int(),
  unchanged: z.number().int(),
  conflicts: z.number().int(),
  otherSource: z.number().int().describe('Rows for people another source (SCIM) manages: never overwritten'),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

export const ImportDiff = z.object({
  counts: ImportCounts,
  joiners: z.array(ImportJoiner),
  movers: z.array(ImportMover),
  leavers: z.array(ImportLeaver),
  conflicts: z.array(ImportConflict),
  truncated: z
    .boolean()
    .describe(`A list holds more than ${HR_FEED_LIMITS.diffItemsListed} items: the first are listed`),
  ignoredColumns: z.array(z.string()).describe('Columns (or keys) the feed does not read'),
  leaversNeedConfirmation: z
    .boolean()
    .describe(
      `The import would deactivate more than ${MASS_LEAVERS.percent}% (and more than ${MASS_LEAVERS.minimum}) of the ` +
        'people the HR feed manages: applying needs confirmLeavers (a truncated file must not empty the org)',
    ),
});
export type ImportDiff = z.infer<typeof ImportDiff>;

export const ImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  reactivated: z.number().int(),
  deactivated: z.number().int(),
  sessionsEnded: z.number().int(),
  tokensRevoked: z.number().int(),
  assertionsRecorded: z.number().int().describe('HR assertions kept beside people another source manages'),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const OrgImportApply = refuseControlCharacters(
  z.strictObject({
    confirmLeavers: z
      .number()
      .int()
      .min(0)
      .max(HR_FEED_LIMITS.rows * 10)
      .optional()
      .describe('The number of leavers, when the preview says leaversNeedConfirmation'),
  }),
);
export type OrgImportApply = z.infer<typeof OrgImportApply>;

export const ORG_IMPORT_STATUSES = ['previewed', 'applied', 'discarded', 'failed'] as const;

export const OrgImportSummary = z.object({
  id: Uuid,
  fileName: z.string(),
  fileSha256: z.string(),
  format: z.enum(HR_FEED_FORMATS),
  status: z.enum(ORG_IMPORT_STATUSES),
  counts: ImportCounts,
  createdAt: IsoDateTime,
  createdBy: PersonRef.nullable().describe('null: the operator CLI'),
  appliedAt: IsoDateTime.nullable(),
  result: ImportResult.nullable(),
  failure: z.string().nullable(),
});
export type OrgImportSummary = z.infer<typeof OrgImportSummary>;
export const OrgImport = OrgImportSummary.extend({ diff: ImportDiff });
export type OrgImport = z.infer<typeof OrgImport>;
export const OrgImportPage = z.object({
  items: z.array(OrgImportSummary),
  nextCursor: z.string().nullable(),
});
export type OrgImportPage = z.infer<typeof OrgImportPage>;
export const OrgImportListQuery = refuseControlCharacters(
  z.strictObject({
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);

// --- Sources and freshness -----------------------------------------------------------------------------

export const OrgSourceStatus = z.object({
  source: OrgSourceId,
  enabled: z.boolean(),
  inUse: z.boolean().describe('The source has synced, or manages people'),
  lastSuccessAt: IsoDateTime.nullable(),
  lastAttemptAt: IsoDateTime.nullable(),
  lastError: z.string().nullable(),
  lastCounts: z.record(z.string(), z.number()).nullable(),
  maxStalenessMinutes: z.number().int(),
  stale: z.boolean(),
  staleReason: z.string().nullable(),
  managedPeople: z.number().int().describe('People (not deactivated) this source manages'),
});
export type OrgSourceStatus = z.infer<typeof OrgSourceStatus>;

export const OrgStatus = z.object({
  generatedAt: IsoDateTime,
  sources: z.array(OrgSourceStatus),
  people: z.object({
    active: z.number().int(),
    provisional: z.number().int(),
    deactivated: z.number().int(),
    bySource: z
      .object({ scim: z.number().int(), hr: z.number().int(), none: z.number().int() })
      .describe('People not deactivated, by managing source (none: SSO claims only)'),
  }),
  hierarchyIssues: z.number().int().describe('Orphans + unresolved manager references + cycles'),
  conflicts: z.number().int().describe('People on whom two sources disagree'),
});
export type OrgStatus = z.infer<typeof OrgStatus>;

export const OrgSourceUpdate = refuseControlCharacters(
  z.strictObject({
    enabled: z.boolean(),
    maxStalenessMinutes: z
      .number()
      .int('must be a whole number')
      .min(STALENESS_MINUTES.min, `must be at least ${STALENESS_MINUTES.min}`)
      .max(STALENESS_MINUTES.max, `must be at most ${STALENESS_MINUTES.max} (30 days)`),
  }),
);
export type OrgSourceUpdate = z.infer<typeof OrgSourceUpdate>;

// --- Hierarchy ----------------------------------------------------------------------------------------------

/** Items listed per hierarchy issue list (counts are exact). */
export const HIERARCHY_ISSUES_LISTED = 500;

const IssuePerson = z.object({
  id: Uuid,
  name: z.string(),
  email: z.string(),
  employeeNumber: z.string().nullable(),
  orgSource: OrgSourceId.nullable(),
  department: z.string().nullable(),
});

export const HierarchyIssues = z.object({
  topLevel: z.object({ count: z.number().int(), items: z.array(IssuePerson) }),
  orphans: z
    .object({ count: z.number().int(), items: z.array(IssuePerson) })
    .describe('Active people with no manager and no direct reports'),
  unresolvedManagers: z
    .object({ count: z.number().int(), items: z.array(IssuePerson.extend({ managerRef: z.string() })) })
    .describe('A source named a manager nobody matches yet'),
  cycles: z.array(z.object({ people: z.array(PersonRef) })).describe('Always empty unless data is corrupt'),
});
export type HierarchyIssues = z.infer<typeof HierarchyIssues>;

// --- People with effective access -----------------------------------------------------------------------

export const ORG_SOURCE_FILTERS = ['scim', 'hr', 'none'] as const;
export const ROLE_FILTERS = [...ROLES, 'none'] as const;

export const OrgPeopleQuery = refuseControlCharacters(
  z.strictObject({
    q: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Start of the name (any word) or e-mail, case-insensitive'),
    status: z.enum(PERSON_STATUSES).optional(),
    role: z.enum(ROLE_FILTERS).optional().describe('Effective role now (none: no access)'),
    source: z.enum(ORG_SOURCE_FILTERS).optional(),
    department: z.string().trim().min(1).max(HR_FEED_LIMITS.department).optional(),
    hasException: QueryBoolean.optional(),
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);

export const OrgPersonRow = z.object({
  id: Uuid,
  name: z.string(),
  email: z.string(),
  employeeNumber: z.string().nullable(),
  status: z.enum(PERSON_STATUSES),
  department: z.string().nullable(),
  title: z.string().nullable(),
  team: z.string().nullable(),
  manager: PersonRef.nullable(),
  builderRelations: z.boolean(),
  orgSource: OrgSourceId.nullable(),
  role: RoleSchema.nullable().describe('Effective role now; null: no access'),
  scope: ScopeSchema.nullable(),
  scopeLabel: z.string(),
  entitlements: z.array(Entitlement),
  hasException: z.boolean(),
  lastSignInAt: IsoDateTime.nullable(),
});
export type OrgPersonRow = z.infer<typeof OrgPersonRow>;

export const OrgPeoplePage = z.object({
  items: z.array(OrgPersonRow),
  nextCursor: z.string().nullable(),
  ruleSetVersion: z.number().int(),
});
export type OrgPeoplePage = z.infer<typeof OrgPeoplePage>;

export const CONFLICT_FIELDS = [
  'email',
  'name',
  'employeeNumber',
  'department',
  'title',
  'manager',
  'groups',
] as const;
export type ConflictFieldName = (typeof CONFLICT_FIELDS)[number];
const ConflictValue = z.union([z.string(), z.array(z.string())]).nullable();

export const ConflictField = z.object({
  field: z.enum(CONFLICT_FIELDS),
  values: z.array(z.object({ source: AssertingSource, value: ConflictValue })),
  inEffect: ConflictValue.describe("The person's current value: the managing source's"),
});
export type ConflictField = z.infer<typeof ConflictField>;

export const OrgConflict = z.object({
  person: PersonRef.extend({ email: z.string(), status: z.enum(PERSON_STATUSES) }),
  managingSource: AssertingSource.describe('oidc: no org source manages the person'),
  fields: z.array(ConflictField),
});
export type OrgConflict = z.infer<typeof OrgConflict>;
export const OrgConflictPage = z.object({ items: z.array(OrgConflict), nextCursor: z.string().nullable() });
export type OrgConflictPage = z.infer<typeof OrgConflictPage>;
export const OrgConflictQuery = refuseControlCharacters(
  z.strictObject({
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);

/** Direct reports listed in a person's detail (the count is exact). */
export const DIRECT_REPORTS_LISTED = 200;

export const OrgPersonDetail = OrgPersonRow.extend({
  chain: z
    .array(PersonRef.extend({ title: z.string().nullable() }))
    .describe('Managers from the direct manager up to the top of the org'),
  directReports: z.object({
    count: z.number().int(),
    items: z.array(PersonRef.extend({ title: z.string().nullable(), status: z.enum(PERSON_STATUSES) })),
  }),
  sourceRecords: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .describe('What each source last asserted about the person'),
  conflicts: z.array(ConflictField),
});
export type OrgPersonDetail = z.infer<typeof OrgPersonDetail>;
