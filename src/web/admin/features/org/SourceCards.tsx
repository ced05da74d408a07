import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Card } from '@leafygreen-ui/card';
import { H3 } from '@leafygreen-ui/typography';
import type { OrgSourceStatus, OrgStatus } from '../../../../contract/api/directory.ts';
import { dateTime, relativeTime } from '../../../ui/format.ts';
import { SourceSettings } from './SourceSettings.tsx';
import { minutesText, SOURCE_LABEL } from './statusQuery.ts';

const when = (iso: string | null) => (iso === null ? 'Never' : `${relativeTime(iso)} (${dateTime(iso)})`);

function SourceCard({ s }: { s: OrgSourceStatus }) {
  const counts = Object.entries(s.lastCounts ?? {});
  return (
    <Card className="profile-card" data-testid={`source-${s.source}`}>
      <div className="badges">
        <H3 as="h2">{SOURCE_LABEL[s.source]}</H3>
        <Badge variant={s.enabled ? 'blue' : 'lightgray'}>{s.enabled ? 'Enabled' : 'Disabled'}</Badge>
        {s.stale ? (
          <Badge variant="red">Stale</Badge>
        ) : s.inUse ? (
          <Badge variant="green">Fresh</Badge>
        ) : (
          <Badge variant="lightgray">Not in use</Badge>
        )}
      </div>
      {s.staleReason !== null && <Banner variant="warning">{s.staleReason}</Banner>}
      <dl className="facts">
        <dt>Last successful sync</dt>
        <dd>{when(s.lastSuccessAt)}</dd>
        <dt>Last attempt</dt>
        <dd>{when(s.lastAttemptAt)}</dd>
        <dt>Last error</dt>
        <dd className={s.lastError === null ? undefined : 'error-text'}>{s.lastError ?? 'None'}</dd>
        <dt>Last sync counts</dt>
        <dd>{counts.length === 0 ? '—' : counts.map(([key, n]) => `${key}: ${n}`).join(', ')}</dd>
        <dt>People it manages</dt>
        <dd>{s.managedPeople}</dd>
        <dt>Stale after</dt>
        <dd>{minutesText(s.maxStalenessMinutes)}</dd>
      </dl>
      <SourceSettings key={`${s.enabled}:${s.maxStalenessMinutes}`} status={s} />
    </Card>
  );
}

/** Each org source's freshness and settings, and the org in numbers. */
export function SourceCards({ status }: { status: OrgStatus }) {
  const { people } = status;
  return (
    <>
      <div className="profile-grid">
        {status.sources.map((s) => (
          <SourceCard key={s.source} s={s} />
        ))}
      </div>
      <dl className="totals" aria-label="The org in numbers">
        {(
          [
            ['Active people', people.active],
            ['Provisional', people.provisional],
            ['Deactivated', people.deactivated],
            ['Managed by SCIM', people.bySource.scim],
            ['Managed by the HR feed', people.bySource.hr],
            ['SSO only', people.bySource.none],
            ['Hierarchy issues', status.hierarchyIssues],
            ['People with conflicts', status.conflicts],
          ] as const
        ).map(([label, n]) => (
          <div key={label} className="totals__item">
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
