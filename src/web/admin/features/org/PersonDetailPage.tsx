import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import type { OrgPersonDetail } from '../../../../contract/api/directory.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime, relativeTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { navigate } from '../../nav.ts';
import { useMe } from '../../queries.ts';
import { ConflictFields } from './ConflictFields.tsx';
import { EntitlementList } from './EntitlementList.tsx';
import { orgSourceText, PersonStatusBadge, RoleBadge } from './PeopleTable.tsx';
import { PersonExceptions } from './PersonExceptions.tsx';
import { usePerson } from './peopleQueries.ts';
import { SourceRecords } from './SourceRecords.tsx';

/** /admin/people/<id>: one person's access and where it comes from, their place in the org, their sources. */
export function PersonDetailPage({ id }: { id: string }) {
  const person = usePerson(id);
  return (
    <main className="admin-main" data-testid="person-detail">
      <AppLink to="/admin/people">← All people</AppLink>
      {person.isPending && <Body aria-live="polite">Loading…</Body>}
      {person.isError && (
        <Banner variant="danger">Couldn't load this person: {errorMessage(person.error)}</Banner>
      )}
      {person.data !== undefined && <PersonDetail p={person.data} />}
    </main>
  );
}

function PersonDetail({ p }: { p: OrgPersonDetail }) {
  const admin = useMe().data?.role === 'admin';
  return (
    <>
      <div className="page-head">
        <div>
          <H1>{p.name}</H1>
          <div className="badges">
            <PersonStatusBadge status={p.status} />
            <RoleBadge role={p.role} />
            <span className="muted">{p.scopeLabel}</span>
          </div>
        </div>
        <div className="badges">
          {admin && <AppLink to={`/admin/audit/people/${p.id}`}>Access history</AppLink>}
          <Button variant="primary" onClick={() => navigate(`/admin/exceptions?subject=${p.id}`)}>
            Request exception
          </Button>
        </div>
      </div>
      <div className="profile-grid">
        <Card className="profile-card">
          <H2 className="section-title">Access and why</H2>
          <EntitlementList items={p.entitlements} />
        </Card>
        <Card className="profile-card">
          <H2 className="section-title">Record</H2>
          <dl className="facts">
            <dt>E-mail</dt>
            <dd>{p.email}</dd>
            <dt>Employee number</dt>
            <dd>{p.employeeNumber ?? '—'}</dd>
            <dt>Title</dt>
            <dd>{p.title ?? '—'}</dd>
            <dt>Department</dt>
            <dd>{p.department ?? '—'}</dd>
            <dt>Team</dt>
            <dd>{p.team ?? '—'}</dd>
            <dt>Builder Relations</dt>
            <dd>{p.builderRelations ? 'Yes' : 'No'}</dd>
            <dt>Managed by</dt>
            <dd>{orgSourceText(p.orgSource)}</dd>
            <dt>Last sign-in</dt>
            <dd>
              {p.lastSignInAt === null
                ? 'Never'
                : `${relativeTime(p.lastSignInAt)} (${dateTime(p.lastSignInAt)})`}
            </dd>
          </dl>
        </Card>
        <OrgPlace p={p} />
      </div>
      <PersonExceptions subjectId={p.id} />
      <section aria-labelledby="person-sources">
        <H2 id="person-sources" className="section-title">
          What each source asserted
        </H2>
        <SourceRecords records={p.sourceRecords} />
      </section>
      <section aria-labelledby="person-conflicts">
        <H2 id="person-conflicts" className="section-title">
          Conflicts between sources
        </H2>
        {p.conflicts.length === 0 ? (
          <Body>The sources agree.</Body>
        ) : (
          <div className="table-scroll">
            <ConflictFields fields={p.conflicts} />
          </div>
        )}
      </section>
    </>
  );
}

function OrgPlace({ p }: { p: OrgPersonDetail }) {
  const more = p.directReports.count - p.directReports.items.length;
  return (
    <Card className="profile-card">
      <H2 className="section-title">Place in the org</H2>
      <h3 className="subsection-title">Manager chain</h3>
      {p.chain.length === 0 ? (
        <Body>No manager: top of the org.</Body>
      ) : (
        <ol className="chain" data-testid="manager-chain">
          {p.chain.map((m) => (
            <li key={m.id}>
              <AppLink to={`/admin/people/${m.id}`}>{m.name}</AppLink>
              {m.title !== null && <span className="muted"> · {m.title}</span>}
            </li>
          ))}
        </ol>
      )}
      <h3 className="subsection-title">Direct reports ({p.directReports.count})</h3>
      {p.directReports.count === 0 ? (
        <Body>None.</Body>
      ) : (
        <ul className="plain-list" data-testid="direct-reports">
          {p.directReports.items.map((r) => (
            <li key={r.id}>
              <AppLink to={`/admin/people/${r.id}`}>{r.name}</AppLink>
              {r.title !== null && <span className="muted"> · {r.title}</span>}
              {r.status !== 'active' && <span className="muted"> ({r.status})</span>}
            </li>
          ))}
          {more > 0 && <li className="muted">and {more} more</li>}
        </ul>
      )}
    </Card>
  );
}
