import type { EventList } from '../../../contract/api/events.ts';
import type { Db } from '../../db/client.ts';
import { requireActor } from '../../plugins/types.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeEvent } from './events.policy.ts';
import { listEvents as listEventRows } from './events.repo.ts';

export async function listEvents(
  deps: { db: Db },
  ctx: RequestContext,
  filter: { active?: boolean | undefined },
): Promise<EventList> {
  authorizeEvent(requireActor(ctx), 'read');
  return { items: await listEventRows(deps.db, filter) };
}
