import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  HR_FEED_LIMITS,
  type ImportCounts,
  type ImportDiff,
  type ImportResult,
  MASS_LEAVERS,
  type OrgImport,
  type OrgImportListQuery,
  type OrgImportSummary,
} from '../../../contract/api/directory.ts';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { executePlan } from './hr-feed.apply.ts';
import { type HrRow, parseHrFeed, type RowError } from './hr-feed.parse.ts';
import { type ImportPlan, planImport } from './hr-feed.plan.ts';
import * as repo from './imports.repo.ts';
import { lockOrg, markSourceFailed, markSourceSynced } from './org.core.ts';
import { loadOrgSnapshot } from './org.snapshot.ts';
import { countHrFeedRun } from './org-status.metrics.ts';

/**
 * HR feed imports: a dry run stores the parsed rows, the diff and the org's fingerprint; applying re-plans the
 * same rows under the org lock, refuses if the org changed since the dry run, and writes everything in one
 * transaction (or nothing, and records the failure on the source afterwards).
 */
export interface DirectoryDeps {
  db: Db;
  now: () => Date;
}

export interface FeedFile {
  fileName: string;
  format: 'csv' | 'json';
  content: string | Buffer;
}

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** Row errors → one 400 naming each row and column (the first few hundred; the total in the detail). */
export function feedError(errors: RowError[]): ValidationError {
  const listed = errors.slice(0, HR_FEED_LIMITS.errorsListed);
  const n = errors.length;
  const more = n > listed.length ? `; the first ${listed.length} are listed` : '';
  return new ValidationError(
    `The HR file has ${n} problem${n === 1 ? '' : 's'}${more}. Nothing was imported.`,
    listed.map((e) => ({ field: e.row === null ? 'file' : `row ${e.row}: ${e.field}`, message: e.message })),
  );
}

const STATUS_WORDS: Record<repo.OrgImportRow['status'], string> = {
  previewed: 'a preview',
  applied: 'already applied',
  discarded: 'discarded',
  failed: 'a failed attempt',
};

export class StalePreviewError extends ConflictError {
  constructor() {
    super('The org changed since this preview (another import, SCIM or a sign-in). Preview the file again.');
  }
}

/** A file that would deactivate an implausible share of the org (a truncated export?) needs the count confirmed. */
export class LeaverConfirmationError extends ConflictError {
  readonly leavers: number;
  constructor(leavers: number) {
    super(
      `This import would deactivate ${leavers} people, more than ${MASS_LEAVERS.percent}% of those the HR feed ` +
        `manages. If the file is complete, apply it again confirming the number of leavers (${leavers}).`,
    );
    this.leavers = leavers;
  }
}

function checkLeavers(plan: ImportPlan, confirmLeavers: number | undefined) {
  if (plan.leaversNeedConfirmation && confirmLeavers !== plan.leavers.length)
    throw new LeaverConfirmationError(plan.leavers.length);
}

async function assertHrEnabled(db: Db) {
  const source = await repo.findSource(db, 'hr');
  if (source && !source.enabled)
    throw new ConflictError('The HR feed source is disabled. Enable it (org sources) before importing.');
}

function parseOrThrow(file: FeedFile) {
  const parsed = parseHrFeed(file.content, file.format);
  if (parsed.errors.length > 0) throw feedError(parsed.errors);
  return parsed;
}

function planOrThrow(rows: HrRow[], snapshot: Awaited<ReturnType<typeof loadOrgSnapshot>>) {
  const plan = planImport(rows, snapshot.people);
  if (plan.errors.length > 0) throw feedError(plan.errors);
  return plan;
}

interface StoredDiff {
  counts: ImportCounts;
  joiners: ImportDiff['joiners'];
  movers: ImportDiff['movers'];
  leavers: ImportDiff['leavers'];
  conflicts: ImportDiff['conflicts'];
  ignoredColumns: string[];
  leaversNeedConfirmation: boolean;
  result?: ImportResult;
  failure?: string;
}

function storedDiff(plan: ImportPlan, ignoredColumns: string[]): StoredDiff {
  return {
    counts: plan.counts,
    ...plan.diff,
    ignoredColumns,
    leaversNeedConfirmation: plan.leaversNeedConfirmation,
  };
}

async function storePreview(
  tx: Db,
  ctx: RequestContext,
  file: FeedFile,
  rows: HrRow[],
  plan: ImportPlan,
  ignoredColumns: string[],
  fingerprint: string,
  now: Date,
) {
  const fileSha256 = sha256(file.content);
  const row = await repo.insertImport(tx, {
    fileName: file.fileName,
    fileSha256,
    format: file.format,
    status: 'previewed',
    rows: rows as unknown as Record<string, unknown>[],
    diff: storedDiff(plan, ignoredColumns) as unknown as Record<string, unknown>,
    baseFingerprint: fingerprint,
    createdBy: ctx.actor?.personId ?? null,
    createdAt: now,
  });
  const { joiners, movers, leavers, unchanged } = plan.counts;
  await audit(tx, ctx, {
    action: 'org.import.previewed',
    targetId: row.id,
    details: { fileSha256, joiners, movers, leavers, unchanged, errors: 0 },
  });
  return row;
}

/** Dry run: parse, validate and diff against the current org; stored so exactly this can be applied. */
export async function previewImport(
  deps: DirectoryDeps,
  ctx: RequestContext,
  file: FeedFile,
): Promise<OrgImport> {
  const now = deps.now();
  await assertHrEnabled(deps.db);
  const { rows, ignoredColumns } = parseOrThrow(file);
  const snapshot = await loadOrgSnapshot(deps.db);
  const plan = planOrThrow(rows, snapshot);
  const row = await deps.db.transaction((tx) =>
    storePreview(tx, ctx, file, rows, plan, ignoredColumns, snapshot.fingerprint, now),
  );
  return toOrgImport(deps.db, row);
}

async function applyInTx(
  tx: Db,
  ctx: RequestContext,
  row: repo.OrgImportRow,
  plan: ImportPlan,
  now: Date,
): Promise<repo.OrgImportRow> {
  const result = await executePlan(tx, ctx, plan, now);
  await markSourceSynced(tx, 'hr', now, { ...plan.counts });
  const updated = await repo.updateImport(tx, row.id, {
    status: 'applied',
    appliedAt: now,
    diffPatch: { result },
  });
  if (!updated) throw new Error('org import vanished while applying');
  const { joiners, movers, leavers, unchanged } = plan.counts;
  await audit(tx, ctx, {
    action: 'org.import.applied',
    targetId: row.id,
    details: { fileSha256: row.fileSha256, joiners, movers, leavers, unchanged },
  });
  return updated;
}

function failureMessage(e: unknown): string {
  if (e instanceof AppError) return e.message;
  return 'The import could not be applied because of an internal error; nothing was written.';
}

/** A failed apply wrote nothing; say so on the import and on the source, in a transaction of their own. */
async function recordFailure(deps: DirectoryDeps, importId: string | null, e: unknown, now: Date) {
  const message = failureMessage(e);
  countHrFeedRun('failure');
  await deps.db.transaction(async (tx) => {
    await markSourceFailed(tx, 'hr', now, message);
    if (importId)
      await repo.updateImport(
        tx,
        importId,
        { status: 'failed', diffPatch: { failure: message } },
        'previewed',
      );
  });
}

/** Apply a stored preview: only if the org is exactly as it was when previewed. */
export async function applyImport(
  deps: DirectoryDeps,
  ctx: RequestContext,
  id: string,
  confirmLeavers?: number,
): Promise<OrgImport> {
  const now = deps.now();
  let attempted = false;
  try {
    const row = await deps.db.transaction(async (tx) => {
      await lockOrg(tx);
      const found = await repo.findImport(tx, id, true);
      if (!found) throw new NotFoundError('org import');
      if (found.status !== 'previewed')
        throw new ConflictError(
          `This import is ${STATUS_WORDS[found.status]}: only a preview can be applied. Preview the file again to import it.`,
        );
      await assertHrEnabled(tx);
      attempted = true;
      const snapshot = await loadOrgSnapshot(tx);
      if (snapshot.fingerprint !== found.baseFingerprint) throw new StalePreviewError();
      const plan = planOrThrow(found.rows as unknown as HrRow[], snapshot);
      checkLeavers(plan, confirmLeavers);
      return applyInTx(tx, ctx, found, plan, now);
    });
    countHrFeedRun('success');
    return toOrgImport(deps.db, row);
  } catch (e) {
    if (attempted && !(e instanceof LeaverConfirmationError)) await recordFailure(deps, id, e, now);
    throw e;
  }
}

/** The operator CLI's `--apply`: preview and apply in one transaction (no window for the org to change). */
export async function importAndApply(
  deps: DirectoryDeps,
  ctx: RequestContext,
  file: FeedFile,
  confirmLeavers?: number,
): Promise<OrgImport> {
  const now = deps.now();
  await assertHrEnabled(deps.db);
  const { rows, ignoredColumns } = parseOrThrow(file);
  let attempted = false;
  try {
    const row = await deps.db.transaction(async (tx) => {
      await lockOrg(tx);
      const snapshot = await loadOrgSnapshot(tx);
      const plan = planOrThrow(rows, snapshot);
      checkLeavers(plan, confirmLeavers);
      attempted = true;
      const stored = await storePreview(tx, ctx, file, rows, plan, ignoredColumns, snapshot.fingerprint, now);
      return applyInTx(tx, ctx, stored, plan, now);
    });
    countHrFeedRun('success');
    return toOrgImport(deps.db, row);
  } catch (e) {
    if (attempted) await recordFailure(deps, null, e, now);
    throw e;
  }
}

export async function discardImport(
  deps: DirectoryDeps,
  ctx: RequestContext,
  id: string,
): Promise<OrgImport> {
  const row = await deps.db.transaction(async (tx) => {
    const found = await repo.findImport(tx, id, true);
    if (!found) throw new NotFoundError('org import');
    const discarded = await repo.updateImport(tx, id, { status: 'discarded' }, 'previewed');
    if (!discarded)
      throw new ConflictError(
        `This import is ${STATUS_WORDS[found.status]}: only a preview can be discarded.`,
      );
    await audit(tx, ctx, {
      action: 'org.import.discarded',
      targetId: id,
      details: { fileSha256: found.fileSha256 },
    });
    return discarded;
  });
  return toOrgImport(deps.db, row);
}

export async function getImport(deps: DirectoryDeps, id: string): Promise<OrgImport> {
  const row = await repo.findImport(deps.db, id);
  if (!row) throw new NotFoundError('org import');
  return toOrgImport(deps.db, row);
}

export async function listImports(
  deps: DirectoryDeps,
  query: z.output<typeof OrgImportListQuery>,
): Promise<{ items: OrgImportSummary[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows, hasMore } = await repo.listImports(deps.db, { limit: query.limit, after });
  const names = await repo.namesOf(
    deps.db,
    rows.map((r) => r.createdBy),
  );
  const items = rows.map((r) => summaryOf(r, r.diff as unknown as StoredDiff, names));
  const last = rows.at(-1);
  return { items, nextCursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null };
}

type SummaryFields = Pick<
  repo.OrgImportRow,
  'id' | 'fileName' | 'fileSha256' | 'format' | 'status' | 'createdBy' | 'createdAt' | 'appliedAt'
>;

function summaryOf(row: SummaryFields, diff: StoredDiff, names: Map<string, string>): OrgImportSummary {
  return {
    id: row.id,
    fileName: row.fileName,
    fileSha256: row.fileSha256,
    format: row.format,
    status: row.status,
    counts: diff.counts,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy ? { id: row.createdBy, name: names.get(row.createdBy) ?? 'Unknown' } : null,
    appliedAt: row.appliedAt?.toISOString() ?? null,
    result: diff.result ?? null,
    failure: diff.failure ?? null,
  };
}

async function toOrgImport(db: Db, row: repo.OrgImportRow): Promise<OrgImport> {
  const diff = row.diff as unknown as StoredDiff;
  const names = await repo.namesOf(db, [row.createdBy]);
  const max = HR_FEED_LIMITS.diffItemsListed;
  const lists = [diff.joiners, diff.movers, diff.leavers, diff.conflicts];
  return {
    ...summaryOf(row, diff, names),
    diff: {
      counts: diff.counts,
      joiners: diff.joiners.slice(0, max),
      movers: diff.movers.slice(0, max),
      leavers: diff.leavers.slice(0, max),
      conflicts: diff.conflicts.slice(0, max),
      truncated: lists.some((l) => l.length > max),
      ignoredColumns: diff.ignoredColumns,
      leaversNeedConfirmation: diff.leaversNeedConfirmation,
    },
  };
}
