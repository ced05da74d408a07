import { Badge } from '@leafygreen-ui/badge';
import { Card } from '@leafygreen-ui/card';
import { H2, H3 } from '@leafygreen-ui/typography';
import type { Me } from '../../../../contract/api/me.ts';
import { ROLE_LABEL } from '../../../../contract/roles.ts';

const SOURCE_LABEL = { idp_group: 'IdP group', org: 'Org source', exception: 'Exception' } as const;
const STATUS_VARIANT = { active: 'green', provisional: 'yellow', deactivated: 'red' } as const;

/** Who I am, my role and where it comes from: each entitlement with the rule or exception behind it. */
export function IdentityCard({ me }: { me: Me }) {
  return (
    <Card className="profile-card" data-testid="identity-card">
      <H2 className="section-title">Who you are</H2>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{me.person.name}</dd>
        <dt>E-mail</dt>
        <dd>{me.person.email}</dd>
        <dt>Team</dt>
        <dd>{me.person.team ?? 'No team'}</dd>
        <dt>Status</dt>
        <dd>
          <Badge variant={STATUS_VARIANT[me.person.status]}>{me.person.status}</Badge>
        </dd>
        <dt>Role</dt>
        <dd data-testid="profile-role">{ROLE_LABEL[me.role]}</dd>
        <dt>Reporting scope</dt>
        <dd>{me.scopeLabel}</dd>
      </dl>
      <H3 className="section-title">Where your role comes from</H3>
      {me.session.kind === 'break_glass' ? (
        <p>
          This is an emergency (break-glass) session: its role comes from the break-glass principal, not from
          the entitlement rules.
        </p>
      ) : (
        <>
          <ul className="provenance" data-testid="role-provenance">
            {me.entitlements.map((e) => (
              <li key={e.ruleId ?? e.exceptionId}>
                <Badge variant={e.source === 'exception' ? 'yellow' : 'lightgray'}>
                  {SOURCE_LABEL[e.source]}
                </Badge>{' '}
                {e.reason}
              </li>
            ))}
          </ul>
          <p className="muted">
            Entitlement rules version {me.ruleSetVersion ?? '—'}; claims model version {me.claimsModelVersion}
            .
          </p>
        </>
      )}
    </Card>
  );
}
