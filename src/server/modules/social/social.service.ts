import type { z } from 'zod';
import type {
  InsightActivity,
  InsightReactions,
  Note,
  NoteCreate,
  ReactionKind,
} from '../../../contract/api/social.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { insightReadScope } from '../insights/insights.policy.ts';
import { findInsight } from '../insights/insights.repo.ts';
import { authorizeSocial } from './social.policy.ts';
import * as repo from './social.repo.ts';

export interface SocialDeps {
  db: Db;
  now: () => Date;
}

type NoteInput = z.output<typeof NoteCreate>;

const NOTE_ID_IN_USE = 'This note id is already in use. Generate a new id.';

/** The insight must be in the actor's read scope (the condition is in the query); otherwise it does not exist. */
async function requireInsightInScope(db: Db, actor: Actor, insightId: string): Promise<void> {
  const insight = await findInsight(db, insightReadScope(actor), insightId);
  if (!insight) throw new NotFoundError('insight');
}

/**
 * GET /api/v1/insights/:id/activity: every reaction kind with its count and whether it is mine, and the notes —
 * over the insight and the duplicates merged into it (those in my scope): a person who reacted the same way on
 * both counts once; Note.insightId tells which record a note is on. Nothing moves on a merge, so an unmerge
 * gives each record its own reactions and notes back untouched. One read-only snapshot.
 */
export async function insightActivity(
  deps: SocialDeps,
  ctx: RequestContext,
  insightId: string,
): Promise<InsightActivity> {
  const actor = requireActor(ctx);
  authorizeSocial(actor, 'read');
  const scope = insightReadScope(actor);
  return deps.db.transaction(
    async (tx) => {
      await requireInsightInScope(tx, actor, insightId);
      const family = repo.mergedFamily(scope, insightId);
      return {
        insightId,
        reactions: await repo.reactionsAcross(tx, family, actor.personId),
        notes: await repo.notesOf(tx, family),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * PUT and DELETE /api/v1/insights/:id/reactions/:reaction. Idempotent both ways: reacting twice keeps one
 * reaction, taking back a reaction that is not there changes nothing; an audit event is written only when a
 * row was actually added or removed, in the same transaction as that change.
 */
export async function setReaction(
  deps: SocialDeps,
  ctx: RequestContext,
  key: { insightId: string; reaction: ReactionKind },
  present: boolean,
): Promise<InsightReactions> {
  const actor = requireActor(ctx);
  authorizeSocial(actor, 'react');
  await requireInsightInScope(deps.db, actor, key.insightId);
  const row = { ...key, personId: actor.personId };
  await deps.db.transaction(async (tx) => {
    if (present) {
      if (await repo.addReaction(tx, { ...row, createdAt: deps.now() })) {
        await audit(tx, ctx, {
          action: 'insight.reaction_added',
          targetId: key.insightId,
          details: { reaction: key.reaction },
        });
      }
    } else if (await repo.removeReaction(tx, row)) {
      await audit(tx, ctx, {
        action: 'insight.reaction_removed',
        targetId: key.insightId,
        details: { reaction: key.reaction },
      });
    }
  });
  // As the activity shows them: over the insight and its merged duplicates.
  const family = repo.mergedFamily(insightReadScope(actor), key.insightId);
  return { reactions: await repo.reactionsAcross(deps.db, family, actor.personId) };
}

/** Every mentioned person must be in the directory and not deactivated: 400 naming each one that is not. */
async function checkMentions(tx: Db, mentions: readonly string[]): Promise<void> {
  const known = await repo.mentionablePeopleAmong(tx, mentions);
  const errors = mentions.flatMap((id, i) =>
    known.has(id) ? [] : [{ field: `body.mentions[${i}]`, message: 'is not an active person' }],
  );
  if (errors.length > 0) throw new ValidationError('Only active people can be mentioned.', errors);
}

/**
 * POST /api/v1/insights/:id/notes, with the client-generated note id: the first write stores the note and its
 * audit event in one transaction; the same id resent by its author for the same insight answers the stored
 * note (an app retrying after a dropped connection); the same id from anyone else or for another insight is a
 * conflict that reveals nothing about that note. A reply names a top-level note of the same insight (one level
 * of threading keeps the conversation readable on a phone). Mentions name active people (400 naming
 * body.mentions[i] otherwise); they are stored with the note and listed in the audit event.
 */
export async function addNote(
  deps: SocialDeps,
  ctx: RequestContext,
  insightId: string,
  input: NoteInput,
): Promise<{ note: Note; created: boolean }> {
  const actor = requireActor(ctx);
  authorizeSocial(actor, 'note');
  await requireInsightInScope(deps.db, actor, insightId);
  const parentId = input.parentId ?? null;
  const created = await deps.db.transaction(async (tx) => {
    if (parentId) {
      const parent = await repo.findNoteOfInsight(tx, parentId, insightId);
      if (!parent) {
        throw new ValidationError('The note to reply to is not on this insight.', [
          { field: 'body.parentId', message: 'is not a note of this insight' },
        ]);
      }
      if (parent.parentId) {
        throw new ValidationError('Replies go one level deep.', [
          { field: 'body.parentId', message: 'is itself a reply; reply to the note it answers' },
        ]);
      }
    }
    await checkMentions(tx, input.mentions);
    const inserted = await repo.insertNoteIfAbsent(tx, {
      id: input.id,
      insightId,
      authorId: actor.personId,
      parentId,
      body: input.body,
      mentions: input.mentions,
      createdAt: deps.now(),
    });
    if (inserted) {
      await audit(tx, ctx, {
        action: 'insight.note_added',
        targetId: insightId,
        details: { noteId: input.id, parentId, mentions: input.mentions },
      });
    }
    return inserted;
  });
  const note = await repo.findNote(deps.db, input.id);
  if (!note) throw new NotFoundError('note');
  if (!created && (note.author.id !== actor.personId || note.insightId !== insightId)) {
    throw new ConflictError(NOTE_ID_IN_USE);
  }
  return { note, created };
}
