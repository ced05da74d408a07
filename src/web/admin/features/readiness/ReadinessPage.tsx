import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import { useMemo, useState } from 'react';
import type { Attestation } from '../../../../contract/api/readiness.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useMe } from '../../queries.ts';
import { BlockSection, type GateEditing } from './BlockSection.tsx';
import { HistorySection } from './HistorySection.tsx';
import { useAttestations, useReadinessReport, useTakeSnapshot } from './queries.ts';
import { RecordsSection } from './RecordsSection.tsx';
import { VerdictPanel } from './VerdictPanel.tsx';
import '../../access.css';
import './readiness.css';

/**
 * Readiness (/admin/readiness): the live go/no-go verdict by the release rule, every block of gates with its
 * evidence and fix, the operational records the deployment gates read, and the history of snapshots. Everyone who
 * sees the dashboard reads it; admins attest manual gates, record verifications and drills, and take snapshots
 * (each a privileged action: the server asks for a fresh MFA step-up, StepUpBanner offers it).
 */
export function ReadinessPage() {
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  const report = useReadinessReport();
  const attestations = useAttestations();
  const snapshot = useTakeSnapshot();
  const [selected, setSelected] = useState<string | null>(null);
  const [taken, setTaken] = useState<string | null>(null);

  const editing = useMemo<GateEditing>(() => {
    const byGate = new Map<string, Attestation>();
    for (const a of attestations.data?.items ?? []) byGate.set(a.gateId, a);
    return { attestations: byGate, editable: isAdmin };
  }, [isAdmin, attestations.data]);

  const takeSnapshot = () => {
    setTaken(null);
    snapshot.mutate(undefined, {
      onSuccess: (created) => {
        setTaken(`Snapshot taken (${dateTime(created.takenAt)}): it is at the top of the history.`);
      },
    });
  };

  return (
    <main className="admin-main readiness-page" data-testid="readiness-page">
      <div className="page-head">
        <H1>Readiness</H1>
        {isAdmin && (
          <Button
            variant="primary"
            onClick={takeSnapshot}
            disabled={snapshot.isPending}
            isLoading={snapshot.isPending}
            data-testid="take-snapshot"
          >
            Take snapshot
          </Button>
        )}
      </div>
      <Body>
        Go / no-go by the release rule: every P0 gate passes and no blocker is open. Each gate says why it has
        its status, what it read, and how to fix it.{' '}
        {isAdmin
          ? 'Manual gates need an attestation with evidence and an expiry.'
          : 'Admins attest the manual gates and record deployment verifications and rollback drills.'}
      </Body>
      {taken !== null && (
        <Banner variant="success" data-testid="snapshot-done">
          {taken}
        </Banner>
      )}
      <ProblemNotice error={snapshot.error} what="Couldn't take a snapshot" />
      {report.isPending && <Body aria-live="polite">Evaluating the gates…</Body>}
      {report.isError && <ProblemNotice error={report.error} what="Couldn't evaluate readiness" />}
      {report.data !== undefined && (
        <>
          <VerdictPanel report={report.data} live testId="readiness-verdict" />
          <section className="readiness-section" aria-labelledby="readiness-gates">
            <div className="readiness-block__head">
              <H2 id="readiness-gates" className="section-title">
                Gates
              </H2>
              {report.isFetching && (
                <span className="muted" aria-live="polite">
                  Re-evaluating…
                </span>
              )}
            </div>
            {attestations.isError && (
              <ProblemNotice error={attestations.error} what="Couldn't load the attestations" />
            )}
            {report.data.blocks.map((block) => (
              <BlockSection key={block.id} block={block} editing={editing} idPrefix="live" />
            ))}
          </section>
          <RecordsSection isAdmin={isAdmin} environment={report.data.environment} />
        </>
      )}
      <HistorySection live={report.data} selected={selected} onSelect={setSelected} />
    </main>
  );
}
