import { Badge } from '@leafygreen-ui/badge';
import { Card } from '@leafygreen-ui/card';
import { H2 } from '@leafygreen-ui/typography';
import type { BreakGlassStatus } from '../../../../contract/api/break-glass.ts';
import { dateTime } from '../../../ui/format.ts';

const when = (iso: string | null) => (iso === null ? '—' : dateTime(iso));

/** Whether break-glass opens right now and why, the identity provider's health, and the settings. */
export function StatusCards({ status }: { status: BreakGlassStatus }) {
  const { gate, idp, settings } = status;
  return (
    <div className="profile-grid">
      <Card className="profile-card" data-testid="break-glass-gate">
        <H2 className="section-title">Break-glass now</H2>
        <p>
          {gate.open ? <Badge variant="red">Open</Badge> : <Badge variant="green">Closed</Badge>}{' '}
          {gate.mode === 'idp_unreachable' && 'the identity provider is unreachable'}
          {gate.mode === 'approved' && 'an approved request is waiting to be used'}
        </p>
        <p>{gate.why}</p>
        <dl className="facts">
          <dt>Opens after</dt>
          <dd>{settings.idpDownMinutes} minutes of identity-provider outage, or a second admin's approval</dd>
          <dt>Session length</dt>
          <dd>{settings.sessionMinutes} minutes, never extended</dd>
          <dt>Alert webhook</dt>
          <dd>{settings.webhookConfigured ? 'Configured' : 'Not configured (log and metric only)'}</dd>
          <dt>Open reviews</dt>
          <dd data-testid="open-reviews">{status.openReviews}</dd>
        </dl>
      </Card>
      <Card className="profile-card" data-testid="idp-health">
        <H2 className="section-title">Identity provider</H2>
        <p>
          {idp.reachable === null && <Badge variant="lightgray">Not contacted yet</Badge>}
          {idp.reachable === true && <Badge variant="green">Reachable</Badge>}
          {idp.reachable === false && <Badge variant="red">Unreachable</Badge>}
        </p>
        <dl className="facts">
          <dt>Last success</dt>
          <dd>{when(idp.lastSuccessAt)}</dd>
          <dt>Last failure</dt>
          <dd>{when(idp.lastFailureAt)}</dd>
          <dt>Failing since</dt>
          <dd>{when(idp.failingSince)}</dd>
          <dt>Last error</dt>
          <dd>{idp.lastError ?? '—'}</dd>
        </dl>
      </Card>
    </div>
  );
}
