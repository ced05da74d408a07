import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import { useMemo } from 'react';
import type { AuditPersonSummary } from '../../../../contract/api/audit.ts';
import { ApiError } from '../../../ui/api.ts';
import { dateTime, relativeTime } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate, useSearch } from '../../nav.ts';
import { PersonStatusBadge, RoleBadge } from '../org/PeopleTable.tsx';
import { AuditTable } from './AuditTable.tsx';
import { AUDIT_PATH, personHistoryHref } from './auditUrl.ts';
import { usePersonHistory } from './queries.ts';

function Summary({ summary }: { summary: AuditPersonSummary }) {
  return (
    <Card className="audit-summary" data-testid="access-summary">
      <H2 className="section-title">Now</H2>
      <dl className="facts">
        <dt>Role</dt>
        <dd>
          <RoleBadge role={summary.role} /> <span className="muted">{summary.scopeLabel}</span>
        </dd>
        <dt>Last sign-in</dt>
        <dd>
          {summary.lastSignInAt === null
            ? 'Never'
            : `${relativeTime(summary.lastSignInAt)} (${dateTime(summary.lastSignInAt)})`}
        </dd>
        <dt>Live sessions</dt>
        <dd>{summary.activeSessions}</dd>
        <dt>Active API tokens</dt>
        <dd>{summary.activeTokens}</dd>
        <dt>Active exceptions</dt>
        <dd>
          {summary.activeExceptions.length === 0
            ? 'None'
            : summary.activeExceptions.map((e) => `${e.role} until ${dateTime(e.expiresAt)}`).join('; ')}
        </dd>
      </dl>
    </Card>
  );
}

/**
 * /admin/audit/people/<id>: a person's access history — what they did, what was done to their access, sign-in
 * failures under their identity — with where their access stands now. ?kind=all shows everything else too.
 */
export function PersonHistoryPage({ id }: { id: string }) {
  const search = useSearch();
  const kind = new URLSearchParams(search).get('kind') === 'all' ? 'all' : 'access';
  const pages = usePersonHistory(id, kind);
  const items = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const summary = pages.data?.pages[0]?.summary;
  const missing = pages.error instanceof ApiError && pages.error.status === 404;
  const setKind = (next: 'access' | 'all') =>
    navigate(next === 'all' ? `${personHistoryHref(id)}?kind=all` : personHistoryHref(id));

  return (
    <main className="admin-main audit-page" data-testid="person-history">
      <AppLink to={AUDIT_PATH}>← Audit log</AppLink>
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {missing && <Banner variant="warning">There is no such person.</Banner>}
      {pages.isError && !missing && !pages.isFetchNextPageError && (
        <ProblemNotice error={pages.error} what="Couldn't load the access history" />
      )}
      {summary !== undefined && (
        <>
          <div className="page-head">
            <div>
              <H1>Access history: {summary.displayName}</H1>
              <div className="badges">
                <PersonStatusBadge status={summary.status} />
              </div>
            </div>
            <AppLink to={`/admin/people/${encodeURIComponent(id)}`}>Their access and its reasons</AppLink>
          </div>
          <Summary summary={summary} />
          <fieldset className="audit-kind">
            <legend className="visually-hidden">Events to show</legend>
            <Button
              size="small"
              aria-pressed={kind === 'access'}
              variant={kind === 'access' ? 'primaryOutline' : 'default'}
              onClick={() => setKind('access')}
            >
              Access events
            </Button>
            <Button
              size="small"
              aria-pressed={kind === 'all'}
              variant={kind === 'all' ? 'primaryOutline' : 'default'}
              onClick={() => setKind('all')}
            >
              Everything
            </Button>
          </fieldset>
          <Body>
            {kind === 'access'
              ? 'Sign-ins and failures, sessions, role and scope changes, exceptions and reviews, API tokens, ' +
                'break-glass and refused requests: events they made, and events about them or their tokens.'
              : 'Every event they made, and every event about them or their tokens.'}
          </Body>
          {items.length === 0 ? (
            <Body className="empty">Nothing recorded yet.</Body>
          ) : (
            <div className={pages.isPlaceholderData ? 'is-refreshing' : undefined}>
              <AuditTable items={items} label={`Access history of ${summary.displayName}`} />
            </div>
          )}
          <LoadMore pages={pages} />
          {pages.isFetchNextPageError && <ProblemNotice error={pages.error} what="Couldn't load more" />}
        </>
      )}
    </main>
  );
}
