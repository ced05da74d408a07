import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type {
  Comment,
  CommentInput,
  CommentList,
  CommentTarget,
  CommentTargetType,
  MentionFeed,
} from '../../../contract/api/workspace.ts';
import { WORKSPACE_LIMITS } from '../../../contract/api/workspace.ts';
import type { Db } from '../../db/client.ts';
import { decisions, programComments, programPhases, risks, workstreams } from '../../db/schema.governance.ts';
import { people } from '../../db/schema.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeGovernance } from '../readiness/governance.policy.ts';
import { mentionedPeople, resolveMentions } from './workspace.mentions.ts';
import type { WorkspaceDeps } from './workspace.service.ts';

/** Comment threads on decisions, risks, workstreams and phases, and the "mentions of you" feed. */

type CommentRow = typeof programComments.$inferSelect;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TARGET_NAME: Record<CommentTargetType, string> = {
  decision: 'decision',
  risk: 'risk',
  workstream: 'workstream',
  phase: 'program phase',
};

/** The labels of targets (what a comment is about), by id; a target that no longer exists is absent. */
async function targetLabels(db: Db, type: CommentTargetType, ids: string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  if (ids.length === 0) return labels;
  const uuids = ids.filter((id) => UUID.test(id));
  let rows: { id: string; label: string }[] = [];
  if (type === 'phase') {
    rows = await db
      .select({ id: programPhases.id, label: programPhases.name })
      .from(programPhases)
      .where(inArray(programPhases.id, ids));
  } else if (uuids.length === 0) {
    rows = [];
  } else if (type === 'risk') {
    rows = await db.select({ id: risks.id, label: risks.title }).from(risks).where(inArray(risks.id, uuids));
  } else if (type === 'workstream') {
    rows = await db
      .select({ id: workstreams.id, label: workstreams.name })
      .from(workstreams)
      .where(inArray(workstreams.id, uuids));
  } else {
    rows = await db
      .select({
        id: decisions.id,
        label: sql<string>`'DEC-' || ${decisions.number} || ': ' || ${decisions.title}`,
      })
      .from(decisions)
      .where(inArray(decisions.id, uuids));
  }
  for (const row of rows) labels.set(row.id, row.label);
  return labels;
}

/** 400 for a malformed UUID target; 404 when the target does not exist. */
async function checkTarget(db: Db, target: CommentTarget): Promise<void> {
  if (target.targetType !== 'phase' && !UUID.test(target.targetId))
    throw new ValidationError(`A ${target.targetType} is named by its UUID.`, [
      { field: 'query.targetId', message: 'must be a UUID' },
    ]);
  const labels = await targetLabels(db, target.targetType, [target.targetId]);
  if (!labels.has(target.targetId)) throw new NotFoundError(TARGET_NAME[target.targetType]);
}

async function toComments(
  db: Db,
  rows: { comment: CommentRow; authorName: string | null }[],
): Promise<Comment[]> {
  const mentioned = await mentionedPeople(
    db,
    rows.flatMap((row) => row.comment.mentions),
  );
  return rows.map(({ comment, authorName }) => ({
    id: comment.id,
    targetType: comment.targetType,
    targetId: comment.targetId,
    author: comment.authorId && authorName !== null ? { id: comment.authorId, name: authorName } : null,
    body: comment.body,
    mentions: comment.mentions.flatMap((id) => {
      const person = mentioned.get(id);
      return person ? [person] : [];
    }),
    createdAt: comment.createdAt.toISOString(),
  }));
}

const selection = { comment: programComments, authorName: people.displayName };

/** GET /api/v1/workspace/comments: the thread, oldest first (the newest WORKSPACE_LIMITS.comments). */
export async function listComments(
  deps: WorkspaceDeps,
  ctx: RequestContext,
  target: CommentTarget,
): Promise<CommentList> {
  authorizeGovernance(requireActor(ctx), 'read');
  await checkTarget(deps.db, target);
  const rows = await deps.db
    .select(selection)
    .from(programComments)
    .leftJoin(people, eq(people.id, programComments.authorId))
    .where(
      and(eq(programComments.targetType, target.targetType), eq(programComments.targetId, target.targetId)),
    )
    .orderBy(desc(programComments.createdAt), desc(programComments.id))
    .limit(WORKSPACE_LIMITS.comments);
  return { items: await toComments(deps.db, rows.reverse()) };
}

/** POST /api/v1/workspace/comments: mentions resolved now; the comment and its audit event commit together. */
export async function createComment(
  deps: WorkspaceDeps,
  ctx: RequestContext,
  target: CommentTarget,
  input: CommentInput,
): Promise<Comment> {
  const actor = requireActor(ctx);
  authorizeGovernance(actor, 'comment');
  const id = await deps.db.transaction(async (tx) => {
    await checkTarget(tx, target);
    const mentions = await resolveMentions(tx, input.body);
    const [row] = await tx
      .insert(programComments)
      .values({
        targetType: target.targetType,
        targetId: target.targetId,
        authorId: actor.personId,
        body: input.body,
        mentions: mentions.map((m) => m.id),
        createdAt: deps.now(),
      })
      .returning({ id: programComments.id });
    if (!row) throw new Error('insert returned no row');
    await audit(tx, ctx, {
      action: 'program_comment.created',
      targetId: row.id,
      details: {
        targetType: target.targetType,
        targetId: target.targetId,
        mentions: mentions.map((m) => m.id),
      },
    });
    return row.id;
  });
  const rows = await deps.db
    .select(selection)
    .from(programComments)
    .leftJoin(people, eq(people.id, programComments.authorId))
    .where(eq(programComments.id, id));
  const [comment] = await toComments(deps.db, rows);
  if (!comment) throw new NotFoundError('comment');
  return comment;
}

/** GET /api/v1/workspace/mentions: comments that mention the caller, newest first, with what they are about. */
export async function mentionsOfMe(deps: WorkspaceDeps, ctx: RequestContext): Promise<MentionFeed> {
  const actor = requireActor(ctx);
  authorizeGovernance(actor, 'read');
  const rows = await deps.db
    .select(selection)
    .from(programComments)
    .leftJoin(people, eq(people.id, programComments.authorId))
    .where(sql`${programComments.mentions} @> array[${actor.personId}]::uuid[]`)
    .orderBy(desc(programComments.createdAt), asc(programComments.id))
    .limit(WORKSPACE_LIMITS.mentionsFeed);
  const comments = await toComments(deps.db, rows);
  const labels = new Map<CommentTargetType, Map<string, string>>();
  for (const type of new Set(comments.map((c) => c.targetType)))
    labels.set(
      type,
      await targetLabels(
        deps.db,
        type,
        comments.filter((c) => c.targetType === type).map((c) => c.targetId),
      ),
    );
  return {
    items: comments.map((comment) => ({
      ...comment,
      targetLabel:
        labels.get(comment.targetType)?.get(comment.targetId) ??
        `${TARGET_NAME[comment.targetType]} (deleted)`,
    })),
  };
}
