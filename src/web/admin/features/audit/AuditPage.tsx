import { Card } from '@leafygreen-ui/card';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useMemo } from 'react';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate, pageInfo, subPath, usePathname, useSearch } from '../../nav.ts';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { AUDIT_PATH, filterHref, isFiltered, parseFilter } from './auditUrl.ts';
import { IntegrityPanel } from './IntegrityPanel.tsx';
import { PersonHistoryPage } from './PersonHistory.tsx';
import { useAuditCatalog, useAuditEvents } from './queries.ts';
import './audit.css';
import { LoadMore } from '../../components/LoadMore.tsx';

/** /admin/audit: search the audit log. */
function AuditSearch() {
  const search = useSearch();
  const filter = useMemo(() => parseFilter(search), [search]);
  const pages = useAuditEvents(filter);
  const catalog = useAuditCatalog();
  const items = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const actorName = items.find((e) => e.actor?.id === filter.actor)?.actor?.displayName ?? undefined;

  return (
    <main className="admin-main audit-page">
      <div className="page-head">
        <H1>Audit log</H1>
      </div>
      <Body>
        Every audited action, newest first: who did what to which target, with the outcome. Refused requests
        are recorded too. Open a row for everything recorded about it; a person's name leads to their access
        history. The catalog of actions is in docs/security/audit-catalog.md.
      </Body>
      <IntegrityPanel />
      <AuditFilters
        filter={filter}
        catalog={catalog.data}
        actorName={actorName}
        onChange={(next) => navigate(filterHref(next))}
      />
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && !pages.isFetchNextPageError && (
        <ProblemNotice error={pages.error} what="Couldn't search the audit log" />
      )}
      {pages.isSuccess && items.length === 0 && (
        <Card className="empty" data-testid="audit-empty">
          <Body weight="medium">
            {isFiltered(filter) ? 'No events match these filters.' : 'Nothing recorded yet.'}
          </Body>
        </Card>
      )}
      {items.length > 0 && (
        <div className={pages.isPlaceholderData ? 'is-refreshing' : undefined}>
          <AuditTable items={items} label="Audit events" />
          <div className="insights__footer">
            <Body as="p" data-testid="audit-count" aria-live="polite">
              {pages.hasNextPage ? `Showing ${items.length} — more available` : `Showing all ${items.length}`}
            </Body>
            <LoadMore pages={pages} />
          </div>
          {pages.isFetchNextPageError && (
            <ProblemNotice error={pages.error} what="Couldn't load more events" />
          )}
        </div>
      )}
    </main>
  );
}

/** Admin → Audit log: /admin/audit (search) and /admin/audit/people/<id> (a person's access history). */
export function AuditPage() {
  const pathname = usePathname();
  const rest = subPath(pathname, pageInfo('audit'));
  if (rest === null) return <AuditSearch />;
  const person = /^people\/([^/]+)$/.exec(rest)?.[1];
  if (person !== undefined) return <PersonHistoryPage key={person} id={person} />;
  return (
    <main className="admin-main">
      <Body>There is no such audit page.</Body>
      <AppLink to={AUDIT_PATH}>Audit log</AppLink>
    </main>
  );
}
