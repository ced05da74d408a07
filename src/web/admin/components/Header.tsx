import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import type { Me } from '../../../contract/api/me.ts';
import { ROLE_LABEL } from '../../../contract/roles.ts';
import { useSignOut } from '../../ui/useSignOut.ts';

const ROLE_VARIANT = { viewer: 'lightgray', advocate: 'blue', manager: 'purple', admin: 'green' } as const;

/** Who is signed in, with what role and reporting scope, and the way out. */
export function Header({ me }: { me: Me }) {
  const { signingOut, error, signOut: onSignOut } = useSignOut();

  return (
    <header className="admin-header">
      <span className="admin-header__app">Builder Insights</span>
      <div className="admin-header__who">
        <Body as="span" weight="medium">
          {me.person.name}
        </Body>
        <Badge variant={ROLE_VARIANT[me.role]} data-testid="role-badge">
          {ROLE_LABEL[me.role]}
        </Badge>
        <Body as="span" className="admin-header__scope" data-testid="scope-label">
          {me.scopeLabel}
        </Body>
        <Button size="small" onClick={onSignOut} disabled={signingOut}>
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
