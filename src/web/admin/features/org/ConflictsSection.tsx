import { Banner } from '@leafygreen-ui/banner';
import { Body, H2 } from '@leafygreen-ui/typography';
import { errorMessage } from '../../../ui/api.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { assertingSourceName, ConflictFields } from './ConflictFields.tsx';
import { useConflicts } from './queries.ts';

/** People on whom the sources disagree: each field, what each source says, and the value in effect. */
export function ConflictsSection() {
  const pages = useConflicts();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="conflicts" className="profile-section" data-testid="org-conflicts">
      <H2 id="conflicts" className="section-title">
        Conflicts between sources
      </H2>
      <Body>The managing source's value is in effect; the others are recorded, not applied.</Body>
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Banner variant="danger">Couldn't load conflicts: {errorMessage(pages.error)}</Banner>
      )}
      {pages.isSuccess && items.length === 0 && <Body>The sources agree on everyone.</Body>}
      {items.length > 0 && (
        <ul className="uses">
          {items.map((c) => (
            <li key={c.person.id} className="use" data-testid="conflict">
              <p>
                <AppLink to={`/admin/people/${c.person.id}`}>
                  <strong>{c.person.name}</strong>
                </AppLink>{' '}
                <span className="muted">
                  {c.person.email} · managed by {assertingSourceName(c.managingSource)}
                  {c.person.status === 'active' ? '' : ` · ${c.person.status}`}
                </span>
              </p>
              <div className="table-scroll">
                <ConflictFields fields={c.fields} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <LoadMore pages={pages} />
    </section>
  );
}
