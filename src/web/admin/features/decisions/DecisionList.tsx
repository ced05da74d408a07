import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useMemo } from 'react';
import { DECISION_STATUSES, type DecisionStatus, STATUS_LABEL } from '../../../../contract/api/decisions.ts';
import { ChoiceFilter } from '../../components/Filters.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate, useSearch } from '../../nav.ts';
import { DecisionTable } from './DecisionTable.tsx';
import { type DecisionFilter, listHref, NEW_DECISION_PATH, parseFilter } from './listUrl.ts';
import { useDecisions } from './queries.ts';

const STATUS_CHOICES = DECISION_STATUSES.map((id) => ({ id, label: STATUS_LABEL[id] }));

/** /admin/decisions: the register, filtered by owner and status (kept in the URL). */
export function DecisionList({ canWrite }: { canWrite: boolean }) {
  const search = useSearch();
  const filter = useMemo(() => parseFilter(search), [search]);
  const list = useDecisions(filter);
  const setFilter = (next: DecisionFilter) => navigate(listHref(next));
  const owners = useMemo(() => {
    const names = new Set(list.data?.owners ?? []);
    if (filter.owner) names.add(filter.owner);
    return [...names].map((name) => ({ id: name, label: name }));
  }, [list.data, filter.owner]);
  const items = list.data?.items ?? [];
  const filtered = filter.owner !== undefined || filter.status !== undefined;

  return (
    <main className="admin-main dc-page">
      <div className="page-head">
        <H1>Decisions</H1>
        {canWrite && (
          <AppLink to={NEW_DECISION_PATH} className="dc-button-link dc-button-link--primary">
            New decision
          </AppLink>
        )}
      </div>
      <fieldset className="filters" aria-label="Filter decisions">
        <ChoiceFilter
          label="Owner"
          choices={owners}
          value={filter.owner}
          onChange={(owner) => setFilter({ ...filter, owner })}
        />
        <ChoiceFilter
          label="Status"
          choices={STATUS_CHOICES}
          value={filter.status}
          onChange={(status) => setFilter({ ...filter, status: status as DecisionStatus | undefined })}
        />
      </fieldset>
      {list.isPending && <Body aria-live="polite">Loading…</Body>}
      {list.isError && (
        <div>
          <ProblemNotice error={list.error} what="Couldn't load the decision register" />
          <Button size="small" onClick={() => void list.refetch()}>
            Try again
          </Button>
        </div>
      )}
      {list.isSuccess && items.length === 0 && (
        <Card className="empty" data-testid="decisions-empty">
          <Body weight="medium">{filtered ? 'No decisions match these filters.' : 'No decisions yet.'}</Body>
        </Card>
      )}
      {items.length > 0 && (
        <div className={list.isPlaceholderData ? 'is-refreshing' : undefined}>
          <DecisionTable items={items} />
          <Body as="p" className="dc-count" data-testid="decisions-count" aria-live="polite">
            {items.length} {items.length === 1 ? 'decision' : 'decisions'}
            {items.some((d) => d.overdue) ? ` · ${items.filter((d) => d.overdue).length} overdue` : ''}
          </Body>
        </div>
      )}
    </main>
  );
}
