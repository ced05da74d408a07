import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { IMPORT_FIELDS, type ImportField } from '../program.ts';
import { IsoDate, IsoDateTime, PageLimit, queryInt, refuseControlCharacters, Uuid } from './common.ts';

/**
 * PMO spreadsheet import. Upload → preview (the server proposes a mapping: learned aliases first, then exact
 * and fuzzy matches) → adjust the mapping (re-preview) → apply (asynchronous, with progress) → learned aliases.
 * Re-importing the same file changes nothing: rows are matched on event name + start date.
 */
export const ImportFieldSchema = z.enum(IMPORT_FIELDS.map((f) => f.id) as [ImportField, ...ImportField[]]);

/** Header as written in the file → the event field it fills, or null to ignore the column. */
export const ImportMapping = z
  .record(z.string().max(LIMITS.importHeader), ImportFieldSchema.nullable())
  .refine((m) => Object.keys(m).length <= LIMITS.importColumns, {
    message: `must have at most ${LIMITS.importColumns} columns`,
  })
  .refine(
    (m) => {
      const fields = Object.values(m).filter((f) => f !== null);
      return new Set(fields).size === fields.length;
    },
    { message: 'must not map two columns onto the same field' },
  );
export type ImportMapping = z.infer<typeof ImportMapping>;

export const ImportUpload = refuseControlCharacters(
  z.strictObject({
    fileName: z.string().trim().min(1).max(200),
    csv: z.string().min(1, 'must not be empty').max(LIMITS.importBytes, 'is larger than 5 MiB'),
    /** Optional: start from this mapping instead of the proposed one. */
    mapping: ImportMapping.optional(),
  }),
);
export type ImportUpload = z.input<typeof ImportUpload>;

export const ImportMappingUpdate = refuseControlCharacters(z.strictObject({ mapping: ImportMapping }));

export const ImportApply = refuseControlCharacters(
  z.strictObject({
    /** Remember the confirmed header spellings so the next import maps them by itself (default true). */
    learnAliases: z.boolean().default(true),
  }),
);

export const IMPORT_MATCHES = ['learned', 'exact', 'fuzzy', 'manual', 'none'] as const;

export const ImportColumn = z.object({
  index: z.number().int(),
  header: z.string(),
  field: ImportFieldSchema.nullable(),
  /** How the field was chosen: a learned alias, an exact synonym, a fuzzy match, by hand, or not at all. */
  match: z.enum(IMPORT_MATCHES),
  /** 0–1: how sure the matcher is (1 for learned, exact and manual). */
  score: z.number(),
  /** Up to three non-empty values from the file, to help whoever maps. */
  samples: z.array(z.string()),
});

export const IMPORT_ROW_ACTIONS = [
  'create',
  'update',
  'unchanged',
  'error',
  'duplicate_in_file',
  'blank',
] as const;
export type ImportRowAction = (typeof IMPORT_ROW_ACTIONS)[number];

const RowIssue = z.object({ field: z.string(), message: z.string() });

export const ImportRow = z.object({
  /** 1-based line in the file (the header is line 1), so a person can find it in the spreadsheet. */
  line: z.number().int(),
  action: z.enum(IMPORT_ROW_ACTIONS),
  name: z.string().nullable(),
  startsOn: IsoDate.nullable(),
  /** The existing event an update or unchanged row matched (name + start date). */
  eventId: Uuid.nullable(),
  /** Fields an update would change. */
  changes: z.array(z.string()),
  errors: z.array(RowIssue),
  warnings: z.array(RowIssue),
});
export type ImportRow = z.infer<typeof ImportRow>;

export const ImportCounts = z.object({
  totalRows: z.number().int(),
  create: z.number().int(),
  update: z.number().int(),
  unchanged: z.number().int(),
  error: z.number().int(),
  duplicateInFile: z.number().int(),
  blank: z.number().int(),
  /** Rows with at least one warning (they still import). */
  warnings: z.number().int(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

export const IMPORT_STATUSES = ['previewed', 'applying', 'applied', 'failed'] as const;

/** An import as the UI polls it: status, progress, the mapping, counts, and one page of row previews. */
export const ImportPreview = z.object({
  id: Uuid,
  fileName: z.string(),
  status: z.enum(IMPORT_STATUSES),
  columns: z.array(ImportColumn),
  /** Required fields no column maps onto (apply is refused until they are mapped). */
  missingRequired: z.array(ImportFieldSchema),
  counts: ImportCounts,
  /** While applying: rows done so far out of counts.totalRows. */
  processedRows: z.number().int(),
  rows: z.array(ImportRow),
  rowsOffset: z.number().int(),
  /** Rows matching the rows filter (for paging). */
  rowsTotal: z.number().int(),
  error: z.string().nullable(),
  actor: z.object({ id: Uuid, name: z.string() }),
  createdAt: IsoDateTime,
  appliedAt: IsoDateTime.nullable(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportPreviewQuery = refuseControlCharacters(
  z.strictObject({
    rows: z.enum(['all', 'issues', 'changes']).default('all').describe('issues: errors and warnings only'),
    rowsOffset: queryInt(0, LIMITS.importRows).default(0),
    rowsLimit: queryInt(1, LIMITS.importPreviewRows).default(50),
  }),
);

export const ImportIdParams = z.strictObject({ id: Uuid });

export const ImportHistoryItem = z.object({
  id: Uuid,
  fileName: z.string(),
  status: z.enum(IMPORT_STATUSES),
  counts: ImportCounts,
  actor: z.object({ id: Uuid, name: z.string() }),
  createdAt: IsoDateTime,
  appliedAt: IsoDateTime.nullable(),
});
export const ImportHistory = z.object({ items: z.array(ImportHistoryItem) });
export const ImportHistoryQuery = refuseControlCharacters(z.strictObject({ limit: PageLimit }));

export const ImportAlias = z.object({
  id: Uuid,
  header: z.string(),
  field: ImportFieldSchema,
  uses: z.number().int(),
  learnedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export const ImportAliasList = z.object({ items: z.array(ImportAlias) });
export type ImportAliasList = z.infer<typeof ImportAliasList>;
