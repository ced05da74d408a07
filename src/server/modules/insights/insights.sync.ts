import type { Insight, InsightBatchItemResult, InsightBatchResult } from '../../../contract/api/insights.ts';
import { InsightCreate } from '../../../contract/api/insights.ts';
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { auditMany } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import {
  findEventsAndSessions,
  insertNewInsights,
  unsafeFindInsightAuthors,
} from './insights.capture.repo.ts';
import {
  type CaptureOutcome,
  type CreateInput,
  createdAudit,
  ID_IN_USE,
  type ItemProblem,
  itemId,
  newInsightRow,
  precheckCapture,
  refusedItem,
  unknownEvent,
  unknownSession,
  zodProblem,
} from './insights.capture.ts';
import { authorizeInsight, insightReadScope } from './insights.policy.ts';
import { findInsightsByIds, type JoinedRow, type NewInsightRow, toInsight } from './insights.repo.ts';
import type { InsightDeps } from './insights.service.ts';

/** An item that passed every check that needs no database: it may be created. */
interface Candidate {
  index: number;
  prefix: string;
  input: CreateInput;
  row: NewInsightRow;
}

type Outcome =
  | { status: 'created' | 'duplicate' }
  | { status: 'conflict' | 'rejected'; problem: ItemProblem };

/** What the transaction decided: the created rows by id, and each candidate's outcome by item index. */
interface Written {
  created: Map<string, JoinedRow>;
  outcomes: Map<number, Outcome>;
}

/** Event and session of each candidate, checked with one query each: the items that refer to neither survive. */
async function checkReferences(
  tx: Db,
  candidates: readonly Candidate[],
  outcomes: Map<number, Outcome>,
): Promise<Candidate[]> {
  const eventIds = candidates.flatMap((c) => (c.input.eventId ? [c.input.eventId] : []));
  const sessionIds = candidates.flatMap((c) => (c.input.sessionId ? [c.input.sessionId] : []));
  const known = await findEventsAndSessions(tx, eventIds, sessionIds);
  return candidates.filter(({ index, prefix, input }) => {
    if (!input.eventId) return true;
    if (!known.events.has(input.eventId)) {
      outcomes.set(index, { status: 'rejected', problem: unknownEvent(prefix) });
      return false;
    }
    if (input.sessionId && !known.sessions.has(`${input.eventId}/${input.sessionId}`)) {
      outcomes.set(index, { status: 'rejected', problem: unknownSession(prefix) });
      return false;
    }
    return true;
  });
}

/**
 * Insert the candidates. Together: the first occurrence of each id, all in one statement (a refusal aborts the
 * transaction; the caller then starts over one by one). One by one: each item in its own savepoint, in request
 * order, so an item PostgreSQL refuses (a constraint, a NUL character) fails alone and a later item with the
 * same id may still create it. Returns the created rows by id, which item created each id, and the refused
 * items by index.
 */
async function insertCandidates(tx: Db, candidates: readonly Candidate[], oneByOne: boolean) {
  const created = new Map<string, JoinedRow>();
  const creator = new Map<string, number>();
  const refused = new Map<number, ItemProblem>();
  if (!oneByOne) {
    const firsts = new Map<string, Candidate>();
    for (const c of candidates) if (!firsts.has(c.input.id)) firsts.set(c.input.id, c);
    const rows = [...firsts.values()].map((c) => c.row);
    for (const row of await insertNewInsights(tx, rows)) {
      created.set(row.insight.id, row);
      creator.set(row.insight.id, firsts.get(row.insight.id)?.index ?? -1);
    }
    return { created, creator, refused };
  }
  for (const c of candidates) {
    if (created.has(c.input.id)) continue;
    try {
      const [row] = await tx.transaction((sp) => insertNewInsights(sp, [c.row]));
      if (row) {
        created.set(row.insight.id, row);
        creator.set(row.insight.id, c.index);
      }
    } catch (err) {
      const problem = refusedItem(err, c.prefix);
      if (!problem) throw err;
      refused.set(c.index, problem);
    }
  }
  return { created, creator, refused };
}

/**
 * The write of a batch, in one transaction: references checked, new insights inserted, then every created
 * insight's insight.created event appended to the audit chain at once, in request order.
 */
async function writeCandidates(
  tx: Db,
  ctx: RequestContext,
  personId: string,
  candidates: readonly Candidate[],
  oneByOne: boolean,
): Promise<Written> {
  const outcomes = new Map<number, Outcome>();
  const valid = await checkReferences(tx, candidates, outcomes);
  const { created, creator, refused } = await insertCandidates(tx, valid, oneByOne);
  const stored = valid.filter((c) => !refused.has(c.index) && !created.has(c.input.id));
  const authors = await unsafeFindInsightAuthors(tx, [...new Set(stored.map((c) => c.input.id))]);
  for (const c of valid) {
    const problem = refused.get(c.index);
    if (problem) outcomes.set(c.index, { status: 'rejected', problem });
    else if (creator.get(c.input.id) === c.index) outcomes.set(c.index, { status: 'created' });
    else if (created.has(c.input.id) || authors.get(c.input.id) === personId)
      outcomes.set(c.index, { status: 'duplicate' });
    else outcomes.set(c.index, { status: 'conflict', problem: { title: 'Conflict', detail: ID_IN_USE } });
  }
  const fresh = valid.filter((c) => creator.get(c.input.id) === c.index);
  await auditMany(
    tx,
    ctx,
    fresh.map((c) => createdAudit(c.input, c.input.id)),
  );
  return { created, outcomes };
}

/**
 * One transaction for the whole batch, without savepoints. Only when PostgreSQL refuses some item's data does
 * that transaction roll back (nothing of it stays) and the batch run again with a savepoint per item.
 */
async function writeBatch(
  db: Db,
  ctx: RequestContext,
  personId: string,
  candidates: readonly Candidate[],
): Promise<Written> {
  if (candidates.length === 0) return { created: new Map(), outcomes: new Map() };
  try {
    return await db.transaction((tx) => writeCandidates(tx, ctx, personId, candidates, false));
  } catch (err) {
    if (!refusedItem(err, '')) throw err;
  }
  return db.transaction((tx) => writeCandidates(tx, ctx, personId, candidates, true));
}

/**
 * POST /api/v1/insights/batch: offline sync. Authorization is for the whole request (a viewer gets 403). Every
 * item is validated on its own (one bad item never loses the others) and answered in request order; the good
 * ones are written in one transaction: one multi-row insert of the new insights (ON CONFLICT DO NOTHING: an id
 * already stored is a retry, answered `duplicate` when it is yours and `conflict` when it is not), then their
 * insight.created events in one append to the audit chain, so each new insight commits with its event. An id
 * repeated within the batch is created once, then a duplicate. An item whose data PostgreSQL refuses is
 * `rejected` alone (the batch is written again with a savepoint per item); any other database failure (lost
 * connection, deadlock) fails the request and writes nothing, and the client sends the batch again.
 */
export async function syncInsights(
  deps: InsightDeps,
  ctx: RequestContext,
  items: readonly unknown[],
): Promise<InsightBatchResult> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'create');
  const now = deps.now();
  const early = new Map<number, InsightBatchItemResult>();
  const candidates: Candidate[] = [];
  for (const [index, item] of items.entries()) {
    const prefix = `items[${index}]`;
    const parsed = InsightCreate.safeParse(item);
    if (!parsed.success) {
      early.set(index, {
        id: itemId(item),
        index,
        status: 'rejected',
        problem: zodProblem(parsed.error, prefix),
      });
      continue;
    }
    const problem = precheckCapture(parsed.data, now, prefix);
    if (problem) early.set(index, { id: parsed.data.id, index, status: 'rejected', problem });
    else candidates.push({ index, prefix, input: parsed.data, row: newInsightRow(parsed.data, actor, now) });
  }

  const written = await writeBatch(deps.db, ctx, actor.personId, candidates);

  // Items that were already stored before this batch: read as any duplicate is (in scope, merge counts).
  const justCreated = new Map([...written.created].map(([id, row]) => [id, toInsight(row, 0)]));
  const storedIds = candidates.flatMap((c) =>
    written.outcomes.get(c.index)?.status === 'duplicate' && !justCreated.has(c.input.id) ? [c.input.id] : [],
  );
  const stored = new Map(
    (await findInsightsByIds(deps.db, insightReadScope(actor), [...new Set(storedIds)])).map((i) => [
      i.id,
      i,
    ]),
  );
  const insightOf = (id: string): Insight => {
    const insight = justCreated.get(id) ?? stored.get(id);
    if (!insight) throw new NotFoundError('insight');
    return insight;
  };

  const results: InsightBatchItemResult[] = [];
  const byIndex = new Map(candidates.map((c) => [c.index, c]));
  for (const index of items.keys()) {
    const before = early.get(index);
    if (before) {
      results.push(before);
      continue;
    }
    const { input } = byIndex.get(index) as Candidate;
    const outcome = written.outcomes.get(index);
    if (!outcome) throw new Error(`sync item ${index} has no outcome`);
    const answer: CaptureOutcome =
      'problem' in outcome ? outcome : { status: outcome.status, insight: insightOf(input.id) };
    results.push({ id: input.id, index, ...answer });
  }
  return { results };
}
