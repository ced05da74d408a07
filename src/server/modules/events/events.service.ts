import type { z } from 'zod';
import type {
  EventDetail,
  EventList,
  EventListQuery,
  EventOptions,
  EventOptionsQuery,
  EventPage,
} from '../../../contract/api/events.ts';
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { decodeCursor, encodeCursor, fingerprint } from './events.cursor.ts';
import { eventDetail } from './events.detail.ts';
import { authorizeEvent } from './events.policy.ts';
import * as repo from './events.repo.ts';

export interface EventDeps {
  db: Db;
  now: () => Date;
}

const READ_ONLY = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;

/**
 * GET /api/v1/events: the program office's calendar, filtered in SQL, keyset pages on the chosen sort with a
 * nextCursor whenever more exist. Each row says whether the caller may manage it and how many linked insights
 * they may see; the counts of a page come from three grouped queries (never one per event), read in the same
 * snapshot as the page.
 */
export async function listEvents(
  deps: EventDeps,
  ctx: RequestContext,
  query: z.output<typeof EventListQuery>,
): Promise<EventPage> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'read');
  const { limit, cursor, sort, ...filter } = query;
  const digest = fingerprint(filter);
  const after = cursor ? decodeCursor(cursor, sort, digest) : null;
  const where = repo.listConditions(actor, filter);
  return deps.db.transaction(async (tx) => {
    const heads = await repo.pageEvents(tx, actor, { where, sort, after, limit });
    const page = heads.slice(0, limit);
    const counts = await repo.countsFor(
      tx,
      actor,
      page.map((h) => h.event.id),
    );
    const last = page.at(-1);
    const nextCursor =
      heads.length > limit && last
        ? encodeCursor(
            sort,
            { key: sort === 'name' ? last.sortName : last.event.startsOn, id: last.event.id },
            digest,
          )
        : null;
    return { items: page.map((h) => repo.toListItem(h, counts.get(h.event.id))), nextCursor };
  }, READ_ONLY);
}

/** GET /api/v1/events/picker: every active event with its sessions, the caller's assignments first. */
export async function eventPicker(deps: EventDeps, ctx: RequestContext): Promise<EventList> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'read');
  return { items: await repo.pickerEvents(deps.db, actor.personId) };
}

/** GET /api/v1/events/options: id, name and start day for filter drop-downs, newest first. */
export async function eventOptions(
  deps: EventDeps,
  ctx: RequestContext,
  query: z.output<typeof EventOptionsQuery>,
): Promise<EventOptions> {
  authorizeEvent(requireActor(ctx), 'read');
  return { items: await repo.eventOptions(deps.db, query.q || undefined, query.limit) };
}

/** The detail as `actor` sees it, read in one snapshot; 404 when the event does not exist. */
export async function readEventDetail(db: Db, actor: Actor, id: string): Promise<EventDetail> {
  return db.transaction(async (tx) => {
    const head = await repo.findEventHead(tx, actor, id);
    if (!head) throw new NotFoundError('event');
    return eventDetail(tx, actor, head);
  }, READ_ONLY);
}

/** GET /api/v1/events/:id. */
export async function getEvent(deps: EventDeps, ctx: RequestContext, id: string): Promise<EventDetail> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'read');
  return readEventDetail(deps.db, actor, id);
}
