import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Insight, InsightEditableField, InsightUpdate } from '../../../contract/api/insights.ts';
import type { FieldError } from '../../../contract/problem.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { authorizeInsight, authorizeInsightEdit, insightReadScope } from './insights.policy.ts';
import * as repo from './insights.repo.ts';
import type { InsightDeps } from './insights.service.ts';

type UpdateInput = z.output<typeof InsightUpdate>;

/** 409 carrying the stored record, so the client can offer keep mine / take theirs / merge. */
export function staleEdit(current: Insight, sent: number): ConflictError {
  return new ConflictError(
    `This insight was changed since version ${sent}; it is now at version ${current.version}. ` +
      `Keep yours, take theirs or merge, then send the edit again with version ${current.version}.`,
    { current },
  );
}

/**
 * The start of every versioned edit (PATCH, follow-up): the insight must be in the actor's read scope (else
 * 404), the actor may edit it (author, or a manager in scope), and the edit must start from its current
 * version (else 409 with the stored record).
 */
export async function loadForEdit(deps: InsightDeps, actor: Actor, id: string, version: number) {
  authorizeInsight(actor, 'update');
  const scope = insightReadScope(actor);
  const current = await repo.findInsight(deps.db, scope, id);
  if (!current) throw new NotFoundError('insight');
  authorizeInsightEdit(actor, current);
  if (current.version !== version) throw staleEdit(current, version);
  return { scope, current };
}

/**
 * The end of every versioned edit: the stored record when the guarded write applied, otherwise (another edit
 * won the race between the read and the write) 409 with the record as it is now, or 404 if it is gone.
 */
export async function afterVersionedWrite(
  deps: InsightDeps,
  scope: SQL,
  id: string,
  version: number,
  updated: Insight | null,
): Promise<Insight> {
  if (updated) return updated;
  const latest = await repo.findInsight(deps.db, scope, id);
  if (!latest) throw new NotFoundError('insight');
  throw staleEdit(latest, version);
}

/** Stable comparison for small JSON values (jsonb returns object keys in its own order). */
function canonical(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The changes an edit really makes, normalized as a capture stores them, with their field names. */
function changesFrom(current: Insight, input: UpdateInput) {
  const next: repo.InsightChanges = {};
  if (input.text !== undefined) next.text = input.text;
  if (input.title !== undefined) next.title = input.title || null;
  if (input.type !== undefined) next.type = input.type;
  if (input.productAreas !== undefined) next.productAreas = input.productAreas;
  if (input.sentiment !== undefined) next.sentiment = input.sentiment;
  if (input.priority !== undefined) next.priority = input.priority;
  if (input.tags !== undefined) next.tags = [...new Set(input.tags)];
  if (input.developer !== undefined) {
    next.developer = input.developer && Object.keys(input.developer).length > 0 ? input.developer : null;
  }
  if (input.followUp !== undefined) next.followUp = input.followUp;
  if (input.eventId !== undefined) next.eventId = input.eventId;
  if (input.sessionId !== undefined) next.sessionId = input.sessionId;
  // Clearing the event clears its session too: a session never stands without its event.
  if (input.eventId === null && input.sessionId === undefined && current.session) next.sessionId = null;

  const stored: Record<InsightEditableField, unknown> = {
    text: current.text,
    title: current.title,
    type: current.type,
    productAreas: current.productAreas,
    sentiment: current.sentiment,
    priority: current.priority,
    tags: current.tags,
    developer: current.developer,
    followUp: current.followUp,
    eventId: current.event?.id ?? null,
    sessionId: current.session?.id ?? null,
  };
  const changed: InsightEditableField[] = [];
  const changes: repo.InsightChanges = {};
  for (const [field, value] of Object.entries(next) as [InsightEditableField, unknown][]) {
    if (canonical(value) === canonical(stored[field])) continue;
    changed.push(field);
    Object.assign(changes, { [field]: value });
  }
  return {
    changes,
    changed,
    eventId: (next.eventId !== undefined ? next.eventId : stored.eventId) as string | null,
    sessionId: (next.sessionId !== undefined ? next.sessionId : stored.sessionId) as string | null,
  };
}

async function checkEventSession(deps: InsightDeps, eventId: string | null, sessionId: string | null) {
  const fail = (detail: string, errors: FieldError[]) => new ValidationError(detail, errors);
  if (sessionId && !eventId) {
    throw fail('A session needs its event.', [
      { field: 'body.eventId', message: 'is required when sessionId is given' },
    ]);
  }
  if (!eventId) return;
  const found = await repo.findEventSession(deps.db, eventId, sessionId);
  if (!found.event) throw fail('Unknown event.', [{ field: 'body.eventId', message: 'no such event' }]);
  if (!found.session) {
    throw fail('Unknown session.', [
      { field: 'body.sessionId', message: 'no such session in this event; send sessionId (null to clear)' },
    ]);
  }
}

/**
 * PATCH /api/v1/insights/:id. Outside the actor's read scope: 404; not theirs to edit: 403 (policy); edited
 * since `version`: 409 with the current record. The write applies only while the row still has that version
 * (`where id = :id and version = :version`), so of two concurrent edits from the same version exactly one
 * wins and the other gets the 409. The new version and its `insight.updated` audit event commit together.
 * An edit that changes nothing (every value already stored) answers the stored record without a new version.
 */
export async function updateInsight(
  deps: InsightDeps,
  ctx: RequestContext,
  id: string,
  input: UpdateInput,
): Promise<Insight> {
  const { scope, current } = await loadForEdit(deps, requireActor(ctx), id, input.version);
  const { changes, changed, eventId, sessionId } = changesFrom(current, input);
  if (changed.includes('eventId') || changed.includes('sessionId')) {
    await checkEventSession(deps, eventId, sessionId);
  }
  if (changed.length === 0) return current;

  const now = deps.now();
  // The flag and the workflow move together: flagging opens the follow-up, unflagging ends it (owner and
  // linked issue cleared), exactly as PUT /follow-up with status open / null would.
  const flagged = changes.followUp;
  const workflow: repo.InsightChanges =
    flagged === undefined
      ? {}
      : flagged
        ? { followUpStatus: 'open', followUpUpdatedAt: now }
        : { followUpStatus: null, followUpOwnerId: null, followUpIssueUrl: null, followUpUpdatedAt: now };

  const updated = await deps.db.transaction(async (tx) => {
    const row = await repo.updateInsightAtVersion(tx, id, input.version, { ...changes, ...workflow }, now);
    if (!row) return null;
    await audit(tx, ctx, {
      action: 'insight.updated',
      targetId: id,
      details: { fromVersion: input.version, toVersion: row.version, changed },
    });
    if (flagged !== undefined) {
      await audit(tx, ctx, {
        action: 'insight.follow_up_changed',
        targetId: id,
        details: {
          fromStatus: current.followUpState?.status ?? null,
          toStatus: flagged ? 'open' : null,
          ownerId: null,
          issueUrl: null,
          toVersion: row.version,
        },
      });
    }
    return repo.findInsight(tx, scope, id);
  });
  return afterVersionedWrite(deps, scope, id, input.version, updated);
}
