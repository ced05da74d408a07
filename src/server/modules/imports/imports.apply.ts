import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/client.ts';
import { events } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import { replaceAssignments } from '../events/events.values.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { isExactSpelling, normalizeKey } from './imports.mapping.ts';
import { type PlannedRow, planRows } from './imports.plan.ts';
import { type Analysis, addCounts, analyse, auditCounts, storedCounts } from './imports.preview.ts';
import * as repo from './imports.repo.ts';

/**
 * Applying an import, in the background after POST …/apply answered 202. The database is the only state:
 * each chunk of rows is planned again against the database (its matching events locked), written with its
 * event.created / event.updated audit events, and `processed_rows` advanced, all in one transaction. So a
 * crash loses at most the chunk in flight; applying again resumes at `processed_rows`, and rows already
 * written come out `unchanged` (a re-import of the same file writes nothing).
 */
export const APPLY_CHUNK = 200;
/** An `applying` import untouched this long has lost its worker (each chunk touches it) and may be resumed. */
export const STALE_AFTER_MS = 2 * 60_000;

export interface ApplyDeps {
  db: Db;
  now: () => Date;
  log: FastifyBaseLogger;
}

export async function runApply(deps: ApplyDeps, ctx: RequestContext, importId: string, learn: boolean) {
  const actor = requireActor(ctx);
  // The file and its frozen mapping cannot change while applying (a re-map needs status previewed), so the
  // analysis is computed once per run; it is derived from the database, never trusted across runs.
  let analysis: Analysis | null = null;
  let line: number | null = null;
  try {
    for (;;) {
      const step = await deps.db.transaction(async (tx) => {
        const record = await repo.lockById(tx, importId);
        if (record?.status !== 'applying' || record.content === null) return 'stop' as const;
        analysis ??= analyse(record.content, record.mapping, new Map());
        const offset = record.processedRows;
        const slice = analysis.drafts.slice(offset, offset + APPLY_CHUNK);
        if (slice.length === 0) return 'finish' as const;
        line = slice[0]?.line ?? null;
        const planned = await planRows(tx, actor, slice, analysis.duplicates, { lock: true });
        const now = deps.now();
        for (const row of planned) await writeRow(tx, ctx, actor, importId, row, now);
        await repo.updateImport(tx, importId, {
          processedRows: offset + slice.length,
          counts: addCounts(storedCounts(record.counts, record.totalRows), planned),
          updatedAt: now,
        });
        return 'more' as const;
      });
      if (step === 'stop') return;
      if (step === 'finish') return await finish(deps, ctx, importId, learn);
      // Let requests (progress polls) in between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (err) {
    await fail(deps, ctx, importId, err, line);
  }
}

async function writeRow(
  tx: Db,
  ctx: RequestContext,
  actor: Actor,
  importId: string,
  row: PlannedRow,
  now: Date,
) {
  const write = row.write;
  if (!write) return;
  if (write.kind === 'create') {
    const id = randomUUID();
    await tx.insert(events).values({
      ...(write.columns as typeof events.$inferInsert),
      id,
      createdBy: actor.personId,
      updatedBy: actor.personId,
      createdAt: now,
      updatedAt: now,
    });
    if (write.assignments.length > 0) await replaceAssignments(tx, id, write.assignments);
    await audit(tx, ctx, {
      action: 'event.created',
      targetId: id,
      details: {
        name: String(write.columns.name),
        startsOn: String(write.columns.startsOn),
        ownerId: write.columns.ownerId ?? null,
        importId,
      },
    });
    return;
  }
  await tx
    .update(events)
    .set({ ...write.columns, version: sql`${events.version} + 1`, updatedBy: actor.personId, updatedAt: now })
    .where(and(eq(events.id, write.eventId), eq(events.version, write.version)));
  if (write.assignments) await replaceAssignments(tx, write.eventId, write.assignments);
  await audit(tx, ctx, {
    action: 'event.updated',
    targetId: write.eventId,
    details: { fromVersion: write.version, toVersion: write.version + 1, changed: write.changed, importId },
  });
}

/** The last step: learned aliases, alias uses, the applied audit event; the file itself is dropped. */
async function finish(deps: ApplyDeps, ctx: RequestContext, importId: string, learn: boolean) {
  const actor = requireActor(ctx);
  await deps.db.transaction(async (tx) => {
    const record = await repo.lockById(tx, importId);
    if (record?.status !== 'applying' || record.content === null) return;
    const now = deps.now();
    const { columns } = analyse(record.content, record.mapping, await repo.aliasMap(tx));
    const used = columns.filter((c) => c.match === 'learned').map((c) => normalizeKey(c.header));
    await repo.countAliasUses(tx, used, now);
    if (learn) {
      const wanted = new Map<string, { header: string; field: string }>();
      for (const c of columns) {
        const key = normalizeKey(c.header);
        if (!c.field || !key || wanted.has(key) || isExactSpelling(c.header, c.field)) continue;
        if (c.match === 'manual' || c.match === 'fuzzy')
          wanted.set(key, { header: c.header, field: c.field });
      }
      const known = await repo.aliasesByKey(tx, [...wanted.keys()]);
      for (const [key, { header, field }] of wanted) {
        const before = known.get(key);
        if (before?.field === field) continue;
        const id = before?.id ?? randomUUID();
        const row = { header, field, learnedBy: actor.personId, learnedFromImport: importId, updatedAt: now };
        if (before) await repo.updateAlias(tx, id, row);
        else await repo.insertAlias(tx, { ...row, id, headerKey: key, uses: 0, createdAt: now });
        await audit(tx, ctx, {
          action: 'import_alias.learned',
          targetId: id,
          details: { header, field, previousField: before?.field ?? null, importId },
        });
      }
    }
    await audit(tx, ctx, {
      action: 'event_import.applied',
      targetId: importId,
      details: auditCounts({ ...record, counts: storedCounts(record.counts, record.totalRows) }),
    });
    await repo.updateImport(tx, importId, {
      status: 'applied',
      content: null,
      appliedAt: now,
      updatedAt: now,
      error: null,
    });
  });
}

function reasonOf(err: unknown): string {
  if (err instanceof AppError) return err.message;
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth += 1) {
    if ((e as { code?: unknown }).code === '23505')
      return 'an event with the same name and start date was created by someone else meanwhile';
    e = (e as { cause?: unknown }).cause;
  }
  return 'an unexpected error (details are in the server log)';
}

async function fail(
  deps: ApplyDeps,
  ctx: RequestContext,
  importId: string,
  err: unknown,
  line: number | null,
) {
  deps.log.error({ err, importId, requestId: ctx.requestId }, 'PMO import apply failed');
  const reason = `Applying stopped${line === null ? '' : ` in the rows from line ${line}`}: ${reasonOf(err)}. Rows before them are saved; apply again to resume.`;
  try {
    await deps.db.transaction(async (tx) => {
      const record = await repo.lockById(tx, importId);
      if (record?.status !== 'applying') return;
      await repo.updateImport(tx, importId, { status: 'failed', error: reason, updatedAt: deps.now() });
      await audit(tx, ctx, {
        action: 'event_import.failed',
        targetId: importId,
        details: { fileName: record.fileName, reason, processedRows: record.processedRows },
      });
    });
  } catch (second) {
    deps.log.error({ err: second, importId }, 'PMO import: recording the failure failed too');
  }
}
