import { hrefOf, type Tab } from '../lib/routes.ts';
import { plural } from '../lib/sync-words.ts';
import type { EditItem } from '../offline/types.ts';

/** Edits that met a newer version wait for the person's choice; nothing is overwritten silently. */
export function ConflictBanner({ conflicts, tab }: { conflicts: EditItem[]; tab: Tab }) {
  const first = conflicts[0];
  if (first === undefined) return null;
  return (
    <div className="banner banner--error" role="alert" data-testid="conflict-banner">
      <p>
        {conflicts.length === 1
          ? 'Someone else changed an insight you edited.'
          : `Someone else changed ${plural(conflicts.length, 'insight')} you edited.`}{' '}
        Choose which version to keep.
      </p>
      <a className="button button--quiet" href={hrefOf(tab, 'conflict', first.id)}>
        Resolve
      </a>
    </div>
  );
}
