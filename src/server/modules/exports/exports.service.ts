import type { Readable } from 'node:stream';
import { and, type SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { EXPORT_FORMAT } from '../../../contract/api/analytics.ts';
import type { InsightFilter } from '../../../contract/api/insights.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { describeScope } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { insertUsageEvent } from '../analytics/usage.repo.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { filterConditions, reportableScope, utcDay } from '../insights/insights.filter.ts';
import { toInsight } from '../insights/insights.repo.ts';
import { csvStream, drained } from './exports.csv.ts';
import { INSIGHT_CSV_COLUMNS, insightCsvRecord } from './exports.insights.ts';
import { authorizeExport, type ExportKind } from './exports.policy.ts';
import * as repo from './exports.repo.ts';
import { type HeldSnapshot, holdSnapshot, inSnapshot, type SnapshotSlots } from './exports.snapshot.ts';

export interface ExportDeps {
  db: Db;
  now: () => Date;
  /**
   * true on the embedded PGlite database: a single connection, so no other transaction (the audit event) can
   * commit while the export's snapshot is open. The count is then taken in a snapshot of its own just before.
   */
  singleConnection: boolean;
  /** Snapshots this process may hold at once (below the pool size: see `snapshotSlots`). */
  snapshotSlots?: SnapshotSlots;
}

/** A file on its way out: the reply streams `stream` with these headers. */
export interface FileExport {
  filename: string;
  contentType: string;
  stream: Readable;
}

/** Rows read per query; the CSV stream holds at most a few more than the client has not read yet. */
export const EXPORT_BATCH = 1000;

/** The reader went away mid-export: stop reading, nothing to report. */
class ReaderGone extends Error {}

function tooLarge(rows: number): AppError {
  const max = LIMITS.exportRowsMax;
  return new AppError(
    400,
    'Export too large',
    `This export would hold ${rows.toLocaleString('en-US')} insights; one export holds at most ` +
      `${max.toLocaleString('en-US')}. Narrow the filter (a shorter date range, a team, an event or a type) ` +
      'and export in parts.',
  );
}

/**
 * `report.exported`, in its own transaction: committed before the first byte leaves, whatever happens next. The
 * same transaction records the export for the product analytics (usage_events, kind export).
 */
export async function recordExport(
  deps: { db: Db; now: () => Date },
  ctx: RequestContext,
  actor: Actor,
  input: { kind: ExportKind; filters: Record<string, unknown>; rows: number },
) {
  await deps.db.transaction(async (tx) => {
    // Managers of reporting trees by name (the log is read by others: never "you").
    const names = await repo.namesOf(tx, actor.scope.kind === 'limited' ? actor.scope.trees : []);
    await audit(tx, ctx, {
      action: 'report.exported',
      details: {
        kind: input.kind,
        filters: JSON.parse(JSON.stringify(input.filters)) as Record<string, unknown>,
        rows: input.rows,
        scope: describeScope(actor.scope, (id) => names.get(id)),
      },
    });
    await insertUsageEvent(tx, {
      kind: 'export',
      surface: input.kind,
      personId: actor.personId,
      role: actor.role,
      at: deps.now(),
      details: { format: EXPORT_FORMAT[input.kind] },
    });
  });
}

/**
 * Every insight in the caller's read scope matching the filter, merged duplicates excluded, newest first, as
 * CSV. Counted first (above LIMITS.exportRowsMax: 400 before anything is recorded or sent), recorded, then
 * read in keyset batches inside one repeatable-read snapshot and written with backpressure: the rows are
 * exactly the ones counted, and memory holds one batch at most.
 */
export async function exportInsightsCsv(
  deps: ExportDeps,
  ctx: RequestContext,
  filter: InsightFilter,
  log: FastifyBaseLogger,
): Promise<FileExport> {
  const actor = requireActor(ctx);
  authorizeExport(actor, 'insights_csv');
  const where = and(reportableScope(actor), ...filterConditions(filter)) as SQL;
  const record = (rows: number) =>
    recordExport(deps, ctx, actor, { kind: 'insights_csv', filters: filter, rows });

  let snapshot: HeldSnapshot<number>;
  if (deps.singleConnection) {
    const rows = await inSnapshot(deps.db, (tx) => repo.countExport(tx, where));
    if (rows > LIMITS.exportRowsMax) throw tooLarge(rows);
    await record(rows);
    snapshot = await holdSnapshot(deps.db, async () => rows);
  } else {
    snapshot = await holdSnapshot(deps.db, (tx) => repo.countExport(tx, where), deps.snapshotSlots);
    try {
      if (snapshot.value > LIMITS.exportRowsMax) throw tooLarge(snapshot.value);
      await record(snapshot.value);
    } catch (err) {
      await snapshot.release();
      throw err;
    }
  }

  const out = csvStream(INSIGHT_CSV_COLUMNS);
  const started = performance.now();
  let written = 0;
  snapshot
    .continueWith(async (tx) => {
      let after: repo.ExportCursor | null = null;
      for (;;) {
        const rows = await repo.exportBatch(tx, where, after, EXPORT_BATCH);
        const teams = await repo.teamsOf(tx, [...new Set(rows.map((r) => r.insight.authorId))]);
        for (const row of rows) {
          if (out.destroyed) throw new ReaderGone();
          const ok = out.write(insightCsvRecord(toInsight(row), teams.get(row.insight.authorId) ?? null));
          written += 1;
          if (!ok) await drained(out);
        }
        const last = rows.at(-1);
        if (!last || rows.length < EXPORT_BATCH) return;
        after = { at: last.insight.capturedAt, id: last.insight.id };
      }
    })
    .then(
      () => {
        out.end();
        log.info(
          { export: { kind: 'insights_csv', rows: written, ms: Math.round(performance.now() - started) } },
          'export',
        );
      },
      (err: unknown) => {
        if (err instanceof ReaderGone || out.destroyed) {
          log.info({ export: { kind: 'insights_csv', rows: written, outcome: 'reader_gone' } }, 'export');
          return;
        }
        log.error({ err, export: { kind: 'insights_csv', rows: written } }, 'export failed');
        // A half-written file must not look complete: the reply is cut off, not ended.
        out.destroy(err instanceof Error ? err : new Error('export failed'));
      },
    );

  const to = filter.to ?? utcDay(deps.now());
  return {
    filename: `builder-insights-${filter.from ?? 'all'}-${to}.csv`,
    contentType: 'text/csv; charset=utf-8',
    stream: out,
  };
}
