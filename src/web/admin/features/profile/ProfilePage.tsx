import { H1 } from '@leafygreen-ui/typography';
import type { Me } from '../../../../contract/api/me.ts';
import { IdentityCard } from './IdentityCard.tsx';
import { MfaCard } from './MfaCard.tsx';
import { MySessions } from './MySessions.tsx';
import { MyTokens } from './MyTokens.tsx';

/** Profile, for every role: who I am and why, my sign-in and MFA state, my sessions, my API tokens. */
export function ProfilePage({ me }: { me: Me }) {
  return (
    <main className="admin-main">
      <H1>Profile</H1>
      <div className="profile-grid">
        <IdentityCard me={me} />
        <MfaCard me={me} />
      </div>
      <MySessions />
      <MyTokens role={me.role} />
    </main>
  );
}
