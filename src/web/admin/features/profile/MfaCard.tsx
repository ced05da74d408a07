import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H2 } from '@leafygreen-ui/typography';
import type { Me } from '../../../../contract/api/me.ts';
import { stepUpHref } from '../../../ui/api.ts';
import { clockTime, dateTime } from '../../../ui/format.ts';

/** Until when privileged actions go ahead without a new sign-in, when the last (MFA) sign-in is known. */
function freshUntil(session: Me['session']): string | null {
  const since = session.mfa.requiredForRole ? session.mfa.satisfiedAt : session.authenticatedAt;
  if (since === null) return null;
  return new Date(Date.parse(since) + session.mfa.windowMinutes * 60_000).toISOString();
}

/** How this session was authenticated, and whether privileged actions need "Verify it's you" first. */
export function MfaCard({ me }: { me: Me }) {
  const { session } = me;
  const { mfa } = session;
  const until = freshUntil(session);
  const breakGlass = session.kind === 'break_glass';
  return (
    <Card className="profile-card" data-testid="mfa-card">
      <H2 className="section-title">Sign-in and MFA</H2>
      <dl className="facts">
        <dt>MFA for your role</dt>
        <dd>{mfa.requiredForRole ? 'Required for privileged actions' : 'Not required'}</dd>
        <dt>MFA in this session</dt>
        <dd>{mfa.satisfiedAt === null ? 'Not used' : `Yes, ${dateTime(mfa.satisfiedAt)}`}</dd>
        <dt>Signed in</dt>
        <dd>
          {session.authenticatedAt === null ? '—' : dateTime(session.authenticatedAt)}
          {session.amr.length > 0 && <span className="muted"> ({session.amr.join(', ')})</span>}
        </dd>
        <dt>Privileged actions</dt>
        <dd data-testid="mfa-fresh">
          {mfa.fresh ? (
            <Badge variant="green">Allowed now</Badge>
          ) : (
            <Badge variant="yellow">Verify it's you first</Badge>
          )}{' '}
          {mfa.fresh && until !== null && !breakGlass && <span>until {clockTime(until)}</span>}
        </dd>
        <dt>Window</dt>
        <dd>
          {mfa.requiredForRole ? 'An MFA sign-in' : 'A sign-in'} in the last {mfa.windowMinutes} minutes
        </dd>
      </dl>
      {!mfa.fresh && !breakGlass && (
        <div className="card-actions">
          <Button as="a" href={stepUpHref()} variant="primary">
            Verify it's you
          </Button>
          <Body className="muted">
            You sign in again{mfa.requiredForRole ? ' with MFA' : ''} and come back here.
          </Body>
        </div>
      )}
    </Card>
  );
}
