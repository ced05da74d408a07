import type { Db } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import type { RequestContext } from '../identity/actor.ts';
import { ocsfLine } from './audit.ocsf.ts';
import { type AuditRange, auditHead, countAuditRange, readAuditRangePage } from './audit.repo.ts';
import { audit } from './audit.service.ts';

/**
 * The OCSF JSON Lines export (API and `bi audit export`): a time range of the log up to the head at the moment
 * the export starts. Recorded (`audit.exported`, with the range and the exact count) before the first line
 * leaves, then streamed a page at a time: memory holds one page, never the table.
 */
const PAGE = 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** `from`/`to` as given (a date or a date-time) → instants; a `to` date includes that whole UTC day. */
export function exportRange(
  input: { from?: string | undefined; to?: string | undefined },
  field: (name: 'from' | 'to') => string = (name) => `query.${name}`,
): AuditRange {
  const at = (value: string | undefined, end: boolean) => {
    if (value === undefined) return null;
    const date = new Date(DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value);
    if (Number.isNaN(date.getTime()))
      throw new ValidationError('The export range is not valid.', [
        { field: field(end ? 'to' : 'from'), message: 'must be a date or an ISO 8601 date-time' },
      ]);
    return end && DATE_ONLY.test(value) ? new Date(date.getTime() + 86_400_000) : date;
  };
  const range = { from: at(input.from, false), to: at(input.to, true) };
  if (range.from && range.to && range.from >= range.to)
    throw new ValidationError('The export range is empty.', [
      { field: field('to'), message: 'must be after from' },
    ]);
  return range;
}

export interface AuditExport {
  count: number;
  throughSeq: number | null;
  lines: AsyncGenerator<string>;
}

/** Record the export (own transaction, committed before anything is sent), then hand back its lines. */
export async function startAuditExport(
  db: Db,
  ctx: RequestContext,
  range: AuditRange,
  via: 'api' | 'cli',
  productVersion: string,
): Promise<AuditExport> {
  const { count, throughSeq } = await db.transaction(async (tx) => {
    const head = await auditHead(tx);
    const counted = head ? await countAuditRange(tx, range, head.seq) : 0;
    await audit(tx, ctx, {
      action: 'audit.exported',
      details: {
        via,
        from: range.from?.toISOString() ?? null,
        to: range.to?.toISOString() ?? null,
        throughSeq: head?.seq ?? null,
        count: counted,
      },
    });
    return { count: counted, throughSeq: head?.seq ?? null };
  });
  return { count, throughSeq, lines: ocsfLines(db, range, throughSeq, productVersion) };
}

/**
 * The events of `range` up to `throughSeq` as OCSF lines, in chain order. Appends are serialized and commit in
 * seq order, so every event up to the head read at the start is already committed: the lines are exactly the
 * events counted.
 */
export async function* ocsfLines(
  db: Db,
  range: AuditRange,
  throughSeq: number | null,
  productVersion: string,
): AsyncGenerator<string> {
  if (throughSeq === null) return;
  let afterSeq = 0;
  for (;;) {
    const rows = await readAuditRangePage(db, range, afterSeq, throughSeq, PAGE);
    let chunk = '';
    for (const row of rows) chunk += ocsfLine(row, productVersion);
    if (chunk) yield chunk;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    afterSeq = last.seq;
  }
}
