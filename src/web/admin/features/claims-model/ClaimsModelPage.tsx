import { Banner } from '@leafygreen-ui/banner';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { errorMessage } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useMe } from '../../queries.ts';
import { ClaimsModelEditor } from './ClaimsModelEditor.tsx';
import { useApproveClaimsModel, useClaimsModelVersions } from './queries.ts';
import { VersionsTable } from './VersionsTable.tsx';

/** Admin → Claims model: the versions of the trusted-claims model, approval, and an editor for a new one. */
export function ClaimsModelPage() {
  const me = useMe();
  const versions = useClaimsModelVersions();
  const approve = useApproveClaimsModel();
  const [approved, setApproved] = useState<number | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const items = versions.data?.items ?? [];
  const active = items.find((v) => v.status === 'active');

  const onApprove = (version: number) => {
    if (!window.confirm(`Approve claims model version ${version}? Your name is recorded as its approver.`))
      return;
    setApproved(null);
    setSaved(null);
    approve.mutate(version, { onSuccess: () => setApproved(version) });
  };

  return (
    <main className="admin-main">
      <H1>Claims model</H1>
      <Body>
        Which identity-provider claims we trust and how groups become roles, teams and MFA requirements. Your
        session was checked against version {me.data?.claimsModelVersion}.
      </Body>
      {versions.isPending && <Body aria-live="polite">Loading…</Body>}
      {versions.isError && (
        <Banner variant="danger">Couldn't load the claims model: {errorMessage(versions.error)}</Banner>
      )}
      <ProblemNotice error={approve.error} what="Couldn't approve" />
      {approved !== null && <Banner variant="success">Approved version {approved}.</Banner>}
      {saved !== null && (
        <Banner variant="success" data-testid="model-saved">
          Version {saved} is now active. Ask another admin to approve it.
        </Banner>
      )}
      {items.length > 0 && (
        <section aria-labelledby="model-versions">
          <H2 id="model-versions" className="section-title">
            Versions
          </H2>
          <VersionsTable
            items={items}
            myId={me.data?.person.id ?? ''}
            approving={approve.isPending}
            onApprove={onApprove}
          />
        </section>
      )}
      {active !== undefined && <ClaimsModelEditor key={active.version} active={active} onSaved={setSaved} />}
    </main>
  );
}
