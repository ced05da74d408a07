import type { z } from 'zod';
import { InsightFilter, InsightFilterShape } from '../../../contract/api/insights.ts';
import type {
  SavedView,
  SavedViewCreate,
  SavedViewList,
  SavedViewListQuery,
  SavedViewUpdate,
} from '../../../contract/api/review.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { FieldError } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeSavedViewChange, authorizeSavedViews, savedViewReadScope } from './saved-views.policy.ts';
import * as repo from './saved-views.repo.ts';

export interface SavedViewDeps {
  db: Db;
  now: () => Date;
}

type CreateInput = z.output<typeof SavedViewCreate>;
type UpdateInput = z.output<typeof SavedViewUpdate>;
type ListInput = z.output<typeof SavedViewListQuery>;

const ID_IN_USE = 'This saved view id is already in use. Generate a new id.';
const nameInUse = (name: string) =>
  `You already have a saved view named "${name}" (names are compared ignoring case). Choose another name.`;
const FILTER_KEYS = Object.keys(InsightFilterShape) as (keyof typeof InsightFilterShape)[];

/**
 * A view's filters must mean exactly what the list's filter means: they are parsed by InsightFilter itself,
 * so an unknown key or a bad value is a 400 naming `body.filters.<key>`. What is stored is the canonical
 * query-string form of the parsed filter (keys in InsightFilter order, trimmed, tags de-duplicated, booleans
 * as "true"/"false"), so opening the view sends the list exactly what was validated.
 */
export function canonicalFilters(raw: Record<string, string>): Record<string, string> {
  const parsed = InsightFilter.safeParse(raw);
  if (!parsed.success) {
    const errors: FieldError[] = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          errors.push({ field: `body.filters.${key}`, message: 'is not an insight filter' });
      } else {
        const key = issue.path[0];
        errors.push({
          field: key === undefined ? 'body.filters' : `body.filters.${String(key)}`,
          message: issue.message,
        });
      }
    }
    throw new ValidationError('The view’s filters are not a valid insight filter.', errors);
  }
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value: unknown = parsed.data[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) out[key] = value.join(',');
    } else out[key] = String(value);
  }
  return out;
}

/** Same filter whatever the key order (jsonb keeps its own). */
function sameFilters(a: Record<string, string>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/** A unique index refused the write (a concurrent save won a race the checks could not see): 409, never 500. */
async function uniquely<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const violated = repo.uniqueViolation(err);
    if (violated) throw new ConflictError(violated === 'name' ? nameInUse(name) : ID_IN_USE);
    throw err;
  }
}

/** The view as stored, read back after a write the caller was authorized for (it may no longer be visible to
 * them: an admin who unshared someone's view). */
async function readBack(db: Db, personId: string, id: string): Promise<SavedView> {
  const row = await repo.findById(db, id);
  if (!row) throw new NotFoundError('saved view');
  return repo.toSavedView(row, personId);
}

/**
 * POST /api/v1/saved-views, with the client-generated id: the first write stores the view and its audit
 * event in one transaction; the same id resent by its owner answers the stored view (200); the same id from
 * anyone else is a conflict revealing nothing. Names are unique per owner ignoring case (409), and one person
 * keeps at most LIMITS.savedViewsPerPerson views (409). The owner's writes are serialized, so two concurrent
 * saves can never both pass those checks.
 */
export async function createSavedView(
  deps: SavedViewDeps,
  ctx: RequestContext,
  input: CreateInput,
): Promise<{ view: SavedView; created: boolean }> {
  const actor = requireActor(ctx);
  authorizeSavedViews(actor);
  const filters = canonicalFilters(input.filters);
  const created = await uniquely(
    () =>
      deps.db.transaction(async (tx) => {
        await repo.lockOwner(tx, actor.personId);
        const owner = await repo.unsafeOwnerOf(tx, input.id);
        if (owner === actor.personId) return false;
        if (owner) throw new ConflictError(ID_IN_USE);
        if ((await repo.countOwned(tx, actor.personId)) >= LIMITS.savedViewsPerPerson) {
          throw new ConflictError(
            `You already have ${LIMITS.savedViewsPerPerson} saved views, the most one person can keep. ` +
              'Delete one you no longer use, then save this one.',
          );
        }
        if (await repo.nameTaken(tx, actor.personId, input.name))
          throw new ConflictError(nameInUse(input.name));
        const now = deps.now();
        await repo.insertView(tx, {
          id: input.id,
          ownerId: actor.personId,
          name: input.name,
          filters,
          shared: input.shared,
          createdAt: now,
          updatedAt: now,
        });
        await audit(tx, ctx, {
          action: 'saved_view.created',
          targetId: input.id,
          details: { name: input.name, shared: input.shared },
        });
        return true;
      }),
    input.name,
  );
  return { view: await readBack(deps.db, actor.personId, input.id), created };
}

/** GET /api/v1/saved-views: mine first, then the views others shared, each group by name; keyset pages. */
export async function listSavedViews(
  deps: SavedViewDeps,
  ctx: RequestContext,
  query: ListInput,
): Promise<SavedViewList> {
  const actor = requireActor(ctx);
  authorizeSavedViews(actor);
  const after = query.cursor ? repo.decodeListCursor(query.cursor) : null;
  const page = await repo.listVisible(deps.db, savedViewReadScope(actor), actor.personId, {
    limit: query.limit,
    after,
  });
  return {
    items: page.items.map((row) => repo.toSavedView(row, actor.personId)),
    nextCursor: page.next ? repo.encodeListCursor(page.next) : null,
  };
}

/**
 * PATCH /api/v1/saved-views/:id: rename, re-filter, share or unshare. A view the caller cannot see is 404; one
 * they see but may not change is 403. Only what actually changes is written and audited (an edit that
 * changes nothing answers the view as it is, with no event).
 */
export async function updateSavedView(
  deps: SavedViewDeps,
  ctx: RequestContext,
  id: string,
  input: UpdateInput,
): Promise<SavedView> {
  const actor = requireActor(ctx);
  authorizeSavedViews(actor);
  const filters = input.filters === undefined ? undefined : canonicalFilters(input.filters);
  const scope = savedViewReadScope(actor);
  await uniquely(
    () =>
      deps.db.transaction(async (tx) => {
        const found = await repo.findVisible(tx, scope, id, true);
        if (!found) throw new NotFoundError('saved view');
        const { view } = found;
        authorizeSavedViewChange(actor, view);
        await repo.lockOwner(tx, view.ownerId);
        const changes: { name?: string; filters?: Record<string, string>; shared?: boolean } = {};
        if (input.name !== undefined && input.name !== view.name) changes.name = input.name;
        if (filters !== undefined && !sameFilters(filters, view.filters)) changes.filters = filters;
        if (input.shared !== undefined && input.shared !== view.shared) changes.shared = input.shared;
        const changed = Object.keys(changes);
        if (changed.length === 0) return;
        if (changes.name !== undefined && (await repo.nameTaken(tx, view.ownerId, changes.name, view.id)))
          throw new ConflictError(nameInUse(changes.name));
        await repo.updateView(tx, view.id, { ...changes, updatedAt: deps.now() });
        await audit(tx, ctx, {
          action: 'saved_view.updated',
          targetId: view.id,
          details: { name: changes.name ?? view.name, shared: changes.shared ?? view.shared, changed },
        });
      }),
    input.name ?? '',
  );
  return readBack(deps.db, actor.personId, id);
}

/** DELETE /api/v1/saved-views/:id: 404 when the caller cannot see it, 403 when they see it but may not. */
export async function deleteSavedView(deps: SavedViewDeps, ctx: RequestContext, id: string): Promise<void> {
  const actor = requireActor(ctx);
  authorizeSavedViews(actor);
  await deps.db.transaction(async (tx) => {
    const found = await repo.findVisible(tx, savedViewReadScope(actor), id, true);
    if (!found) throw new NotFoundError('saved view');
    authorizeSavedViewChange(actor, found.view);
    await repo.deleteView(tx, id);
    await audit(tx, ctx, {
      action: 'saved_view.deleted',
      targetId: id,
      details: { name: found.view.name },
    });
  });
}
