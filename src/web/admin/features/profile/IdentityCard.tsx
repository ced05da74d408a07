import { Badge } from '@leafygreen-ui/badge';
import { Card } from '@leafygreen-ui/card';
import { H2, H3 } from '@leafygreen-ui/typography';
import type { Me } from '../../../../contract/api/me.ts';
import { ROLE_LABEL } from '../../../../contract/roles.ts';

const STATUS_VARIANT = { active: 'green', provisional: 'yellow', deactivated: 'red' } as const;

/** Who I am, my role and where it comes from: the IdP groups and the claims-model version that mapped them. */
export function IdentityCard({ me }: { me: Me }) {
  const access = me.access;
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
      {access === null ? (
        <p>
          This is an emergency (break-glass) session: its role comes from the break-glass principal, not from
          identity-provider groups.
        </p>
      ) : (
        <dl className="facts" data-testid="role-provenance">
          <dt>Role group</dt>
          <dd>
            <code>{access.roleGroup}</code> → {ROLE_LABEL[me.role]}
          </dd>
          <dt>Team groups</dt>
          <dd>
            {access.teamGroups.length === 0
              ? 'None'
              : access.teamGroups.map((group) => (
                  <code key={group} className="chip-code">
                    {group}
                  </code>
                ))}
          </dd>
          <dt>Org-wide group</dt>
          <dd>{access.orgWideGroup === null ? 'None' : <code>{access.orgWideGroup}</code>}</dd>
          <dt>Claims model</dt>
          <dd>version {me.claimsModelVersion} (checked when you signed in)</dd>
        </dl>
      )}
    </Card>
  );
}
