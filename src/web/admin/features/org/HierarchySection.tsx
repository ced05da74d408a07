import { Banner } from '@leafygreen-ui/banner';
import { Card } from '@leafygreen-ui/card';
import { Body, H2, H3 } from '@leafygreen-ui/typography';
import type { ReactNode } from 'react';
import type { HierarchyIssues } from '../../../../contract/api/directory.ts';
import { errorMessage } from '../../../ui/api.ts';
import { AppLink } from '../../components/Nav.tsx';
import { useHierarchyIssues } from './queries.ts';

type IssuePerson = HierarchyIssues['orphans']['items'][number];

function PersonLine({ p, extra }: { p: IssuePerson; extra?: ReactNode }) {
  return (
    <li>
      <AppLink to={`/admin/people/${p.id}`}>{p.name}</AppLink>{' '}
      <span className="muted">
        {p.email}
        {p.employeeNumber === null ? '' : ` · ${p.employeeNumber}`}
        {p.department === null ? '' : ` · ${p.department}`}
      </span>
      {extra}
    </li>
  );
}

function IssueList({
  title,
  hint,
  count,
  children,
}: {
  title: string;
  hint: string;
  count: number;
  children: ReactNode;
}) {
  return (
    <Card className="profile-card">
      <H3 as="h3">
        {title} ({count})
      </H3>
      <Body className="muted">{hint}</Body>
      {count === 0 ? <Body>None.</Body> : <ul className="plain-list issue-list">{children}</ul>}
    </Card>
  );
}

const more = (count: number, listed: number) =>
  count > listed ? <li className="muted">and {count - listed} more</li> : null;

/** Reporting-line problems: who has no manager and no reports, whose manager nobody matches, any cycle. */
export function HierarchySection() {
  const issues = useHierarchyIssues();
  const data = issues.data;
  return (
    <section aria-labelledby="hierarchy" className="profile-section" data-testid="hierarchy-issues">
      <H2 id="hierarchy" className="section-title">
        Reporting hierarchy
      </H2>
      {issues.isPending && <Body aria-live="polite">Loading…</Body>}
      {issues.isError && (
        <Banner variant="danger">Couldn't load hierarchy issues: {errorMessage(issues.error)}</Banner>
      )}
      {data !== undefined && data.cycles.length > 0 && (
        <Banner variant="danger">
          Reporting cycles (data is corrupt):{' '}
          {data.cycles.map((c) => c.people.map((p) => p.name).join(' → ')).join('; ')}
        </Banner>
      )}
      {data !== undefined && (
        <div className="profile-grid">
          <IssueList
            title="Orphans"
            hint="Active people with no manager and no direct reports."
            count={data.orphans.count}
          >
            {data.orphans.items.map((p) => (
              <PersonLine key={p.id} p={p} />
            ))}
            {more(data.orphans.count, data.orphans.items.length)}
          </IssueList>
          <IssueList
            title="Unresolved managers"
            hint="A source named a manager nobody matches yet."
            count={data.unresolvedManagers.count}
          >
            {data.unresolvedManagers.items.map((p) => (
              <PersonLine key={p.id} p={p} extra={<span> — manager “{p.managerRef}” not found</span>} />
            ))}
            {more(data.unresolvedManagers.count, data.unresolvedManagers.items.length)}
          </IssueList>
          <IssueList
            title="Top of the org"
            hint="People with no manager who have reports."
            count={data.topLevel.count}
          >
            {data.topLevel.items.map((p) => (
              <PersonLine key={p.id} p={p} />
            ))}
            {more(data.topLevel.count, data.topLevel.items.length)}
          </IssueList>
        </div>
      )}
    </section>
  );
}
