import { Banner } from '@leafygreen-ui/banner';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { BreakGlassApproval } from '../../../../contract/api/break-glass.ts';
import { errorMessage } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { Approvals, Principals } from './PrincipalsAndApprovals.tsx';
import { useBreakGlassStatus, useDecideApproval } from './queries.ts';
import { StatusCards } from './StatusCards.tsx';
import { UsesSection } from './UsesSection.tsx';

/** Admin → Break-glass: whether emergency access opens now, requests to decide, uses to review. */
export function BreakGlassPage() {
  const status = useBreakGlassStatus();
  const decide = useDecideApproval();
  const [done, setDone] = useState<string | null>(null);

  const onDecide = (approval: BreakGlassApproval, decision: 'approve' | 'deny') => {
    const question =
      decision === 'approve'
        ? `Approve emergency access for ${approval.principal}? They can then sign in with break-glass once.`
        : `Deny the request of ${approval.principal}?`;
    if (!window.confirm(question)) return;
    setDone(null);
    decide.mutate(
      { id: approval.id, decision },
      {
        onSuccess: () =>
          setDone(`${decision === 'approve' ? 'Approved' : 'Denied'} ${approval.principal}'s request.`),
      },
    );
  };

  return (
    <main className="admin-main">
      <H1>Break-glass</H1>
      <Body>
        Emergency access for when the identity provider is down. Every use is alerted and audited, and gets a
        review.
      </Body>
      <ProblemNotice error={decide.error} what="Couldn't decide the request" />
      {done !== null && <Banner variant="success">{done}</Banner>}
      {status.isPending && <Body aria-live="polite">Loading…</Body>}
      {status.isError && (
        <Banner variant="danger">Couldn't load break-glass status: {errorMessage(status.error)}</Banner>
      )}
      {status.isSuccess && (
        <>
          <StatusCards status={status.data} />
          <Approvals items={status.data.approvals} busy={decide.isPending} onDecide={onDecide} />
          <Principals items={status.data.principals} />
        </>
      )}
      <UsesSection />
    </main>
  );
}
