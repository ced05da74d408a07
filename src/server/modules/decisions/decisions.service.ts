import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type Decision,
  type DecisionCreate,
  type DecisionHistory,
  type DecisionList,
  type DecisionListQuery,
  type DecisionState,
  type DecisionUpdate,
  decisionRef,
} from '../../../contract/api/decisions.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { decisions } from '../../db/schema.governance.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeGovernance } from '../readiness/governance.policy.ts';
import { changedFields, checkDecided, checkDependsOn } from './decisions.checks.ts';
import * as repo from './decisions.repo.ts';

export interface DecisionDeps {
  db: Db;
  now: () => Date;
  config: Config;
}

const READ_ONLY = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;

/** GET /api/v1/decisions: the register by number, filtered by owner, status(es) and workstream. */
export async function listDecisions(
  deps: DecisionDeps,
  ctx: RequestContext,
  query: z.output<typeof DecisionListQuery>,
): Promise<DecisionList> {
  authorizeGovernance(requireActor(ctx), 'read');
  return deps.db.transaction(async (tx) => {
    const heads = await repo.listHeads(tx, query);
    const { owners, workstreams } = await repo.facets(tx);
    return { items: await repo.toDecisions(tx, heads, deps.now()), owners, workstreams };
  }, READ_ONLY);
}

async function readDecision(db: Db, id: string, now: Date): Promise<Decision> {
  const head = await repo.findHead(db, id);
  if (!head) throw new NotFoundError('decision');
  const [decision] = await repo.toDecisions(db, [head], now);
  if (!decision) throw new NotFoundError('decision');
  return decision;
}

/** GET /api/v1/decisions/:id. */
export async function getDecision(deps: DecisionDeps, ctx: RequestContext, id: string): Promise<Decision> {
  authorizeGovernance(requireActor(ctx), 'read');
  return deps.db.transaction((tx) => readDecision(tx, id, deps.now()), READ_ONLY);
}

/** GET /api/v1/decisions/:id/history: every version, newest first, with the full state and who changed what. */
export async function decisionHistory(
  deps: DecisionDeps,
  ctx: RequestContext,
  id: string,
): Promise<DecisionHistory> {
  authorizeGovernance(requireActor(ctx), 'read');
  return deps.db.transaction(async (tx) => {
    const head = await repo.findHead(tx, id);
    if (!head) throw new NotFoundError('decision');
    return { id, ref: decisionRef(head.row.number), items: await repo.versionsOf(tx, id) };
  }, READ_ONLY);
}

/**
 * POST /api/v1/decisions: admins. The number is max + 1 under a lock (never reused: there is no delete);
 * the row, its version 1 and the audit event commit together.
 */
export async function createDecision(
  deps: DecisionDeps,
  ctx: RequestContext,
  input: z.output<typeof DecisionCreate>,
): Promise<Decision> {
  const actor = requireActor(ctx);
  authorizeGovernance(actor, 'write');
  checkDecided(input);
  const id = await deps.db.transaction(async (tx) => {
    await repo.lockNumbers(tx);
    const dependsOn = await checkDependsOn(tx, null, input.dependsOn);
    const number = await repo.nextNumber(tx);
    const at = deps.now();
    const state: DecisionState = { ...input, dependsOn };
    const [row] = await tx
      .insert(decisions)
      .values({
        ...state,
        number,
        version: 1,
        createdAt: at,
        createdBy: actor.personId,
        updatedAt: at,
        updatedBy: actor.personId,
      })
      .returning({ id: decisions.id });
    if (!row) throw new Error('insert returned no row');
    await repo.insertVersion(tx, {
      decisionId: row.id,
      version: 1,
      state,
      changed: [],
      at,
      by: actor.personId,
    });
    await audit(tx, ctx, {
      action: 'decision.created',
      targetId: row.id,
      details: { number, title: state.title, owner: state.owner, status: state.status },
    });
    return row.id;
  });
  return readDecision(deps.db, id, deps.now());
}

/** 409 saying who changed the decision meanwhile, with the decision as it is now (the version to send). */
async function staleVersion(
  tx: Db,
  head: repo.DecisionHead,
  sent: number,
  now: Date,
): Promise<ConflictError> {
  const [current] = await repo.toDecisions(tx, [head], now);
  const { row } = head;
  const who = current?.updatedBy?.name ?? 'the start-up seed';
  return new ConflictError(
    `${decisionRef(row.number)} was changed by ${who} meanwhile (at ${row.updatedAt.toISOString()}): it is ` +
      `now at version ${row.version}, you edited version ${sent}. Reload it, reapply your change and send ` +
      `it again with version ${row.version}.`,
    {
      errors: [{ field: 'body.version', message: `is ${sent}; the current version is ${row.version}` }],
      current,
      changedBy: current?.updatedBy ?? null,
    },
  );
}

/**
 * PATCH /api/v1/decisions/:id: admins, from `version` (stale → 409 naming who changed it; nothing written).
 * Only the fields sent change; the new state is checked whole (dependencies, decided needs a direction), kept
 * as a new version with the changed field names, and audited, in one transaction. An edit that changes
 * nothing answers the decision as it is: no new version, no audit event.
 */
export async function updateDecision(
  deps: DecisionDeps,
  ctx: RequestContext,
  id: string,
  input: z.output<typeof DecisionUpdate>,
): Promise<Decision> {
  const actor = requireActor(ctx);
  authorizeGovernance(actor, 'write');
  const { version, ...fields } = input;
  await deps.db.transaction(async (tx) => {
    const head = await repo.findHead(tx, id, true);
    if (!head) throw new NotFoundError('decision');
    const { row } = head;
    if (row.version !== version) throw await staleVersion(tx, head, version, deps.now());
    const before = repo.stateOf(row);
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    const after: DecisionState = { ...before, ...defined };
    const changed = changedFields(before, after);
    if (changed.includes('dependsOn')) after.dependsOn = await checkDependsOn(tx, id, after.dependsOn);
    else after.dependsOn = before.dependsOn;
    if (changed.includes('status') || changed.includes('direction')) checkDecided(after);
    if (changed.length === 0) return;
    const at = deps.now();
    const updated = await tx
      .update(decisions)
      .set({ ...after, version: row.version + 1, updatedAt: at, updatedBy: actor.personId })
      .where(and(eq(decisions.id, id), eq(decisions.version, version)))
      .returning({ id: decisions.id });
    if (updated.length !== 1) throw new Error('the locked decision was not updated');
    await repo.insertVersion(tx, {
      decisionId: id,
      version: version + 1,
      state: after,
      changed,
      at,
      by: actor.personId,
    });
    await audit(tx, ctx, {
      action: 'decision.updated',
      targetId: id,
      details: {
        number: row.number,
        status: after.status,
        fromVersion: version,
        toVersion: version + 1,
        changed,
      },
    });
  });
  return readDecision(deps.db, id, deps.now());
}
