import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { useId, useState } from 'react';
import type { SavedView } from '../../../../contract/api/review.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useSavedViewBeacon } from '../analytics/useViewBeacon.ts';
import { insightsHref, sameFilter, type UrlFilter } from './filterUrl.ts';
import {
  useCreateSavedView,
  useDeleteSavedView,
  useSavedViews,
  useUpdateSavedView,
} from './reviewQueries.ts';

function SaveForm({ filter, onDone }: { filter: UrlFilter; onDone: () => void }) {
  const create = useCreateSavedView();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  // One id per draft: a retried save stores the view once.
  const [id] = useState(() => crypto.randomUUID());
  const nameId = useId();
  return (
    <form
      className="saved-views__form"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ id, name: name.trim(), filters: filter, shared }, { onSuccess: onDone });
      }}
    >
      <label className="field__label" htmlFor={nameId}>
        View name
      </label>
      <input
        id={nameId}
        className="field__input"
        value={name}
        maxLength={LIMITS.savedViewName}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <label className="check">
        <input type="checkbox" checked={shared} onChange={(event) => setShared(event.target.checked)} />
        Share with everyone who can see these insights
      </label>
      <div className="row-actions">
        <Button
          type="submit"
          size="small"
          variant="primary"
          disabled={create.isPending || name.trim() === ''}
        >
          Save view
        </Button>
        <Button size="small" onClick={onDone}>
          Cancel
        </Button>
      </div>
      <ProblemNotice error={create.error} what="Couldn't save the view" />
    </form>
  );
}

function MyViewActions({ view, filter }: { view: SavedView; filter: UrlFilter }) {
  const update = useUpdateSavedView();
  const remove = useDeleteSavedView();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(view.name);
  if (renaming) {
    return (
      <form
        className="row-actions"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate(
            { id: view.id, body: { name: name.trim() } },
            { onSuccess: () => setRenaming(false) },
          );
        }}
      >
        <input
          className="field__input"
          aria-label={`New name for ${view.name}`}
          value={name}
          maxLength={LIMITS.savedViewName}
          required
          onChange={(event) => setName(event.target.value)}
        />
        <Button type="submit" size="xsmall" disabled={update.isPending || name.trim() === ''}>
          Save
        </Button>
        <Button size="xsmall" onClick={() => setRenaming(false)}>
          Cancel
        </Button>
        <ProblemNotice error={update.error} what="Couldn't rename" />
      </form>
    );
  }
  return (
    <span className="row-actions">
      <Button size="xsmall" onClick={() => setRenaming(true)}>
        Rename
      </Button>
      <Button size="xsmall" onClick={() => update.mutate({ id: view.id, body: { shared: !view.shared } })}>
        {view.shared ? 'Stop sharing' : 'Share'}
      </Button>
      {!sameFilter(view.filters, filter) && (
        <Button size="xsmall" onClick={() => update.mutate({ id: view.id, body: { filters: filter } })}>
          Use current filter
        </Button>
      )}
      <Button
        size="xsmall"
        variant="dangerOutline"
        disabled={remove.isPending}
        onClick={() => {
          if (window.confirm(`Delete the saved view “${view.name}”?`)) remove.mutate(view.id);
        }}
      >
        Delete
      </Button>
      <ProblemNotice error={update.error ?? remove.error} what="Couldn't change the view" />
    </span>
  );
}

/** Saved views: mine and those others shared; applying one is a link to its filter. */
export function SavedViews({ filter, canSave }: { filter: UrlFilter; canSave: boolean }) {
  const views = useSavedViews();
  const [saving, setSaving] = useState(false);
  const items = views.data ?? [];
  const current = items.find((view) => sameFilter(view.filters, filter));
  useSavedViewBeacon(views.isSuccess, JSON.stringify(filter), current !== undefined);
  return (
    <details className="saved-views" data-testid="saved-views">
      <summary>
        Saved views{items.length > 0 ? ` (${items.length})` : ''}
        {current !== undefined && <span className="muted"> · showing “{current.name}”</span>}
      </summary>
      {views.isError && <ProblemNotice error={views.error} what="Couldn't load saved views" />}
      {views.isSuccess && items.length === 0 && <p className="muted">No saved views yet.</p>}
      {items.length > 0 && (
        <ul className="saved-views__list">
          {items.map((view) => (
            <li key={view.id} className="saved-views__item" data-testid="saved-view">
              <AppLink to={insightsHref(view.filters)} current={view === current}>
                {view.name}
              </AppLink>
              {view.shared && <Badge variant="blue">Shared</Badge>}
              {!view.mine && <span className="muted">by {view.owner.name}</span>}
              {view.mine && <MyViewActions view={view} filter={filter} />}
            </li>
          ))}
        </ul>
      )}
      {canSave &&
        (saving ? (
          <SaveForm filter={filter} onDone={() => setSaving(false)} />
        ) : (
          <Button size="small" onClick={() => setSaving(true)}>
            Save current filter as a view…
          </Button>
        ))}
    </details>
  );
}
