import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import { errorMessage, isRedirectingToLogin } from '../ui/api.ts';
import { Header } from './components/Header.tsx';
import { DashboardPage } from './features/dashboard/DashboardPage.tsx';
import { useMe } from './queries.ts';

/** Loads who is signed in (a 401 sends the browser to sign in), then shows the control plane. */
export function App() {
  const me = useMe();

  if (me.isPending || (me.isError && isRedirectingToLogin())) {
    return (
      <Body className="admin-loading" aria-live="polite">
        Loading…
      </Body>
    );
  }
  if (me.isError) {
    return (
      <div className="admin-loading">
        <Banner variant="danger">Couldn't load your session: {errorMessage(me.error)}</Banner>
        <Button onClick={() => void me.refetch()}>Try again</Button>
      </div>
    );
  }
  return (
    <>
      <Header me={me.data} />
      <DashboardPage />
    </>
  );
}
