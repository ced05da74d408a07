import { Banner } from '@leafygreen-ui/banner';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ScimCredentialsSection } from '../scim/ScimCredentialsSection.tsx';
import { ConflictsSection } from './ConflictsSection.tsx';
import { HierarchySection } from './HierarchySection.tsx';
import { HrImportSection } from './HrImportSection.tsx';
import { SourceCards } from './SourceCards.tsx';
import { useOrgStatus } from './statusQuery.ts';
import '../../access.css';

/** Org (/admin/org, admins): the org sources, their freshness and settings, the hierarchy, conflicts, imports. */
export function OrgPage() {
  const status = useOrgStatus();
  return (
    <main className="admin-main">
      <H1>Org sources</H1>
      <Body>
        Who reports to whom, departments and Builder Relations membership come from SCIM provisioning and the
        HR feed; the entitlement rules read them.{' '}
        <AppLink to="/admin/people">See people and their access</AppLink>.
      </Body>
      <section aria-labelledby="sources" className="profile-section" data-testid="org-sources">
        <H2 id="sources" className="section-title">
          Sources
        </H2>
        {status.isPending && <Body aria-live="polite">Loading…</Body>}
        {status.isError && (
          <Banner variant="danger">Couldn't load the org status: {errorMessage(status.error)}</Banner>
        )}
        {status.data !== undefined && (
          <>
            <SourceCards status={status.data} />
            <Body className="muted">As of {dateTime(status.data.generatedAt)}.</Body>
          </>
        )}
      </section>
      <HierarchySection />
      <ConflictsSection />
      <HrImportSection />
      <ScimCredentialsSection />
    </main>
  );
}
