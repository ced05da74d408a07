import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useEffect, useRef } from 'react';
import {
  type ReadinessReport,
  type ReadinessSnapshotSummary,
  VERDICT_LABEL,
} from '../../../../contract/api/readiness.ts';
import { dateTime } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { BlockSection, StatusBadge } from './BlockSection.tsx';
import { useSnapshot, useSnapshots } from './queries.ts';
import { gateChanges, TRIGGER_LABEL, VERDICT_VARIANT } from './readinessModel.ts';
import { VerdictPanel } from './VerdictPanel.tsx';

const BADGE_OF_VERDICT = { success: 'green', warning: 'yellow', danger: 'red' } as const;

function VerdictBadge({ verdict }: { verdict: ReadinessSnapshotSummary['verdict'] }) {
  return <Badge variant={BADGE_OF_VERDICT[VERDICT_VARIANT[verdict]]}>{VERDICT_LABEL[verdict]}</Badge>;
}

/** Which gates changed status between the snapshot and now: what moved since the last rollout meeting. */
function ChangeList({ then, now }: { then: ReadinessReport; now: ReadinessReport | undefined }) {
  if (now === undefined) return <Body className="muted">The live report is still loading.</Body>;
  const changes = gateChanges(then, now);
  return (
    <div data-testid="snapshot-diff">
      <Body weight="medium">Changed since this snapshot</Body>
      {changes.length === 0 ? (
        <Body className="muted" data-testid="snapshot-diff-none">
          No gate changed status.
        </Body>
      ) : (
        <ul className="readiness-diff">
          {changes.map((change) => (
            <li key={change.id} data-testid="snapshot-diff-item" data-gate-id={change.id}>
              <span>{change.title}</span> <code className="gate-id">{change.id}</code>:{' '}
              {change.was === null ? <span className="muted">new</span> : <StatusBadge status={change.was} />}
              {' → '}
              {change.is === null ? <span className="muted">gone</span> : <StatusBadge status={change.is} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SnapshotView({
  id,
  live,
  onClose,
}: {
  id: string;
  live: ReadinessReport | undefined;
  onClose: () => void;
}) {
  const snapshot = useSnapshot(id);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (snapshot.isSuccess) heading.current?.focus();
  }, [snapshot.isSuccess]);
  return (
    <Card className="readiness-snapshot" data-testid="snapshot-view" data-snapshot-id={id}>
      <div className="readiness-block__head">
        <h3 ref={heading} tabIndex={-1} className="readiness-snapshot__title">
          {snapshot.data === undefined ? 'Snapshot' : `Snapshot of ${dateTime(snapshot.data.takenAt)}`}
        </h3>
        <Button size="small" onClick={onClose}>
          Close snapshot
        </Button>
      </div>
      {snapshot.isPending && <Body aria-live="polite">Loading…</Body>}
      {snapshot.isError && <ProblemNotice error={snapshot.error} what="Couldn't load the snapshot" />}
      {snapshot.data !== undefined && (
        <>
          <Body className="muted">
            Read-only: the report as it was when {snapshot.data.takenBy?.name ?? 'the system'} took it (
            {TRIGGER_LABEL[snapshot.data.trigger]}).
          </Body>
          <VerdictPanel report={snapshot.data.report} live={false} testId="snapshot-verdict" />
          <ChangeList then={snapshot.data.report} now={live} />
          {snapshot.data.report.blocks.map((block) => (
            <BlockSection
              key={block.id}
              block={block}
              editing={null}
              idPrefix={`snapshot-${id}`}
              level="h4"
            />
          ))}
        </>
      )}
    </Card>
  );
}

/** Snapshots of the report (taken here, by `bi readiness`, by the job, for packages), newest first. */
export function HistorySection({
  live,
  selected,
  onSelect,
}: {
  live: ReadinessReport | undefined;
  selected: string | null;
  onSelect: (id: string | null) => void;
}) {
  const pages = useSnapshots();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="readiness-section" aria-labelledby="readiness-history" data-testid="history-section">
      <H2 id="readiness-history" className="section-title">
        History
      </H2>
      <Body>Snapshots of the report, newest first. Open one to see it as it was and what changed since.</Body>
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && <ProblemNotice error={pages.error} what="Couldn't load the history" />}
      {pages.isSuccess && items.length === 0 && <Body className="empty">No snapshots yet.</Body>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="gate-table" aria-label="Snapshots" data-testid="snapshots-table">
            <thead>
              <tr>
                {['When', 'Trigger', 'By', 'Environment', 'Verdict', 'Pass / warn / fail', ''].map((c) => (
                  <th scope="col" key={c || 'open'}>
                    {c || <span className="visually-hidden">Open</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr
                  key={s.id}
                  data-testid="snapshot-row"
                  data-snapshot-id={s.id}
                  className={selected === s.id ? 'is-selected' : undefined}
                >
                  <td className="nowrap">
                    <time dateTime={s.takenAt}>{dateTime(s.takenAt)}</time>
                  </td>
                  <td>{TRIGGER_LABEL[s.trigger]}</td>
                  <td>{s.takenBy?.name ?? <span className="muted">system</span>}</td>
                  <td>{s.environment}</td>
                  <td>
                    <VerdictBadge verdict={s.verdict} />
                  </td>
                  <td className="nowrap">
                    {s.counts.pass} / {s.counts.warn} / {s.counts.fail}
                  </td>
                  <td>
                    <Button
                      size="xsmall"
                      aria-pressed={selected === s.id}
                      onClick={() => onSelect(selected === s.id ? null : s.id)}
                    >
                      {selected === s.id ? 'Hide' : 'View'}
                      <span className="visually-hidden"> snapshot of {dateTime(s.takenAt)}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={pages} size="small" />
      {selected !== null && (
        <SnapshotView key={selected} id={selected} live={live} onClose={() => onSelect(null)} />
      )}
    </section>
  );
}
