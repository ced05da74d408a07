import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  ImportAliasList,
  ImportApply,
  ImportHistory,
  ImportHistoryQuery,
  ImportMapping,
  ImportPreview,
  ImportPreviewQuery,
  ImportUpload,
} from '../../../contract/api/imports.ts';
import type { ImportField } from '../../../contract/program.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { type ApplyDeps, runApply, STALE_AFTER_MS } from './imports.apply.ts';
import { describeMapping, mappingRecord, missingRequired, proposeMapping } from './imports.mapping.ts';
import { parseCsv } from './imports.parse.ts';
import { planRows } from './imports.plan.ts';
import { authorizeAliasDelete, authorizeImports, importReadScope } from './imports.policy.ts';
import { addCounts, analyse, auditCounts, emptyCounts, storedCounts, toPreview } from './imports.preview.ts';
import * as repo from './imports.repo.ts';

/**
 * PMO spreadsheet imports: upload → preview (a proposed mapping and what each row would do) → re-map →
 * apply in the background (imports.apply.ts) → learned aliases. The preview is always computed afresh from
 * the stored file and mapping against the database as it is, so what a person sees is what apply would do.
 */
export type ImportDeps = ApplyDeps;
type PreviewQuery = z.output<typeof ImportPreviewQuery>;

const FIRST_PAGE: PreviewQuery = { rows: 'all', rowsOffset: 0, rowsLimit: 50 };

/** Every header a mapping names must be a column of the file. */
function checkHeaders(mapping: ImportMapping, headers: readonly string[], where: string) {
  const known = new Set(headers);
  const errors = Object.keys(mapping)
    .filter((header) => !known.has(header))
    .map((header) => ({ field: `${where}.${header}`, message: 'is not a column header of this file' }));
  if (errors.length > 0)
    throw new ValidationError('The mapping names columns the file does not have.', errors);
}

async function findVisible(deps: ImportDeps, ctx: RequestContext, id: string) {
  const actor = requireActor(ctx);
  authorizeImports(actor);
  const found = await repo.findVisible(deps.db, importReadScope(actor), id);
  if (!found) throw new NotFoundError('import');
  return found;
}

/** POST /api/v1/event-imports: store the file with the proposed (or given) mapping and answer the preview. */
export async function uploadImport(
  deps: ImportDeps,
  ctx: RequestContext,
  input: ImportUpload,
): Promise<ImportPreview> {
  const actor = requireActor(ctx);
  authorizeImports(actor);
  const parsed = parseCsv(input.csv);
  const manual = input.mapping ?? {};
  checkHeaders(manual, parsed.headers, 'body.mapping');
  const aliases = await repo.aliasMap(deps.db);
  const mapping = mappingRecord(proposeMapping(parsed.headers, aliases, manual));
  const analysis = analyse(input.csv, mapping, aliases);
  const planned = await planRows(deps.db, actor, analysis.drafts, analysis.duplicates);
  const now = deps.now();
  const record: repo.ImportRecord = {
    id: randomUUID(),
    actorId: actor.personId,
    fileName: input.fileName,
    fileSha256: createHash('sha256').update(input.csv, 'utf8').digest('hex'),
    content: input.csv,
    status: 'previewed',
    mapping,
    totalRows: parsed.records.length,
    processedRows: 0,
    counts: addCounts(emptyCounts(parsed.records.length), planned),
    error: null,
    createdAt: now,
    updatedAt: now,
    appliedAt: null,
  };
  await deps.db.transaction(async (tx) => {
    await repo.insertImport(tx, record);
    await audit(tx, ctx, {
      action: 'event_import.uploaded',
      targetId: record.id,
      details: auditCounts({ ...record, counts: storedCounts(record.counts, record.totalRows) }),
    });
  });
  return toPreview({ record, actorName: actor.name }, analysis, planned, FIRST_PAGE);
}

/** GET /api/v1/event-imports/:id: the preview (rows only while the file is kept and not being applied). */
export async function getImport(
  deps: ImportDeps,
  ctx: RequestContext,
  id: string,
  query: PreviewQuery,
): Promise<ImportPreview> {
  const actor = requireActor(ctx);
  const found = await findVisible(deps, ctx, id);
  const { record } = found;
  if (record.content === null) return toPreview(found, null, null, query);
  const analysis = analyse(record.content, record.mapping, await repo.aliasMap(deps.db));
  const planned =
    record.status === 'applying'
      ? null
      : await planRows(deps.db, actor, analysis.drafts, analysis.duplicates);
  return toPreview(found, analysis, planned, query);
}

/**
 * PUT /api/v1/event-imports/:id/mapping: the headers named take the fields given; a column whose field one
 * of them took is left unmapped; every other column keeps its field.
 */
export async function remapImport(
  deps: ImportDeps,
  ctx: RequestContext,
  id: string,
  mapping: ImportMapping,
): Promise<ImportPreview> {
  const actor = requireActor(ctx);
  authorizeImports(actor);
  return deps.db.transaction(async (tx) => {
    const found = await repo.findVisible(tx, importReadScope(actor), id, true);
    if (!found) throw new NotFoundError('import');
    const { record } = found;
    if (record.status !== 'previewed' || record.content === null)
      throw new ConflictError(`This import is ${record.status}; only a previewed import can be re-mapped.`);
    const parsed = parseCsv(record.content);
    checkHeaders(mapping, parsed.headers, 'body.mapping');
    const aliases = await repo.aliasMap(tx);
    const taken = new Set(Object.values(mapping).filter((f): f is ImportField => f !== null));
    const manual: Record<string, ImportField | null> = {};
    for (const column of describeMapping(parsed.headers, record.mapping, aliases)) {
      if (Object.hasOwn(mapping, column.header)) manual[column.header] = mapping[column.header] ?? null;
      else manual[column.header] = column.field && taken.has(column.field) ? null : column.field;
    }
    const next = mappingRecord(proposeMapping(parsed.headers, aliases, manual));
    const analysis = analyse(record.content, next, aliases);
    const planned = await planRows(tx, actor, analysis.drafts, analysis.duplicates);
    const patch = {
      mapping: next,
      counts: addCounts(emptyCounts(record.totalRows), planned),
      updatedAt: deps.now(),
    };
    await repo.updateImport(tx, id, patch);
    const changed = Object.fromEntries(
      Object.entries(next).filter(([header, field]) => (record.mapping[header] ?? null) !== field),
    );
    if (Object.keys(changed).length > 0)
      await audit(tx, ctx, { action: 'event_import.remapped', targetId: id, details: { changed } });
    return toPreview({ ...found, record: { ...record, ...patch } }, analysis, planned, FIRST_PAGE);
  });
}

/**
 * POST /api/v1/event-imports/:id/apply: 202 at once (status applying); the rows are written in the
 * background. A failed import, or one whose worker stopped touching it for STALE_AFTER_MS, resumes where it
 * stopped; a fresh one starts from the first row.
 */
export async function applyImport(
  deps: ImportDeps,
  ctx: RequestContext,
  id: string,
  input: z.output<typeof ImportApply>,
): Promise<ImportPreview> {
  const actor = requireActor(ctx);
  authorizeImports(actor);
  const preview = await deps.db.transaction(async (tx) => {
    const found = await repo.findVisible(tx, importReadScope(actor), id, true);
    if (!found) throw new NotFoundError('import');
    const { record } = found;
    const now = deps.now();
    if (record.status === 'applied' || record.content === null)
      throw new ConflictError('This import was applied already. Upload the file again to import it again.');
    if (record.status === 'applying' && now.getTime() - record.updatedAt.getTime() < STALE_AFTER_MS)
      throw new ConflictError('This import is being applied; follow its progress instead.');
    const analysis = analyse(record.content, record.mapping, await repo.aliasMap(tx));
    const missing = missingRequired(analysis.columns);
    if (missing.length > 0)
      throw new ConflictError(`Map a column onto ${missing.join(' and ')} before applying this import.`);
    const fresh = record.status === 'previewed';
    const patch = {
      status: 'applying' as const,
      error: null,
      updatedAt: now,
      ...(fresh ? { processedRows: 0, counts: emptyCounts(record.totalRows) } : {}),
    };
    await repo.updateImport(tx, id, patch);
    return toPreview({ ...found, record: { ...record, ...patch } }, analysis, null, FIRST_PAGE);
  });
  void runApply(deps, ctx, id, input.learnAliases);
  return preview;
}

/** GET /api/v1/event-imports: your imports (admins: everyone's), newest first. */
export async function listImports(
  deps: ImportDeps,
  ctx: RequestContext,
  query: z.output<typeof ImportHistoryQuery>,
): Promise<z.infer<typeof ImportHistory>> {
  const actor = requireActor(ctx);
  authorizeImports(actor);
  const rows = await repo.listVisible(deps.db, importReadScope(actor), query.limit);
  return {
    items: rows.map(({ record, actorName }) => ({
      id: record.id,
      fileName: record.fileName,
      status: record.status,
      counts: storedCounts(record.counts, record.totalRows),
      actor: { id: record.actorId, name: actorName },
      createdAt: record.createdAt.toISOString(),
      appliedAt: record.appliedAt?.toISOString() ?? null,
    })),
  };
}

export async function listAliases(deps: ImportDeps, ctx: RequestContext): Promise<ImportAliasList> {
  authorizeImports(requireActor(ctx));
  return repo.listAliases(deps.db);
}

/** DELETE /api/v1/import-aliases/:id (admins): the next import no longer maps that header by itself. */
export async function deleteAlias(deps: ImportDeps, ctx: RequestContext, id: string): Promise<void> {
  const actor = requireActor(ctx);
  authorizeImports(actor);
  authorizeAliasDelete(actor);
  await deps.db.transaction(async (tx) => {
    const alias = await repo.findAlias(tx, id, true);
    if (!alias) throw new NotFoundError('column alias');
    await repo.deleteAlias(tx, id);
    await audit(tx, ctx, {
      action: 'import_alias.deleted',
      targetId: id,
      details: { header: alias.header, field: alias.field },
    });
  });
}
