import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import type { Me } from '../../../contract/api/me.ts';
import { ROLE_LABEL } from '../../../contract/roles.ts';
import { useSignOut } from '../../ui/useSignOut.ts';
import type { PageInfo } from '../nav.ts';
import { AppLink, Nav } from './Nav.tsx';

const ROLE_VARIANT = { viewer: 'lightgray', advocate: 'blue', manager: 'purple', admin: 'green' } as const;

/** Who is signed in, with what role and reporting scope, the pages they may open, and the way out. */
export function Header({ me, current }: { me: Me; current: PageInfo | null }) {
  const { signingOut, error, signOut: onSignOut } = useSignOut();

  return (
    <header className="admin-header">
      <span className="admin-header__app">Builder Insights</span>
      <Nav role={me.role} current={current} />
      <div className="admin-header__who">
        <AppLink to="/admin/profile" className="admin-header__name">
          <Body as="span" weight="medium">
            {me.person.name}
          </Body>
        </AppLink>
        <Badge
          variant={me.session.kind === 'break_glass' ? 'red' : ROLE_VARIANT[me.role]}
          data-testid="role-badge"
        >
          {ROLE_LABEL[me.role]}
        </Badge>
        <Body as="span" className="admin-header__scope" data-testid="scope-label">
          {me.scopeLabel}
        </Body>
        <span
          className="admin-header__model"
          data-testid="claims-model-version"
          title="The trusted-claims model version your sign-in was checked against"
        >
          claims model v{me.claimsModelVersion}
        </span>
        <Button size="small" onClick={() => onSignOut()} disabled={signingOut}>
          Sign out
        </Button>
      </div>
      {error !== null && (
        <p role="alert" className="admin-header__error">
          Sign out failed: {error}
        </p>
      )}
    </header>
  );
}
