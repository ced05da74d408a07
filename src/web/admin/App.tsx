import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body } from '@leafygreen-ui/typography';
import { lazy, Suspense } from 'react';
import type { Me } from '../../contract/api/me.ts';
import { errorMessage, isRedirectingToLogin } from '../ui/api.ts';
import { BreakGlassBanner } from './components/BreakGlassBanner.tsx';
import { Header } from './components/Header.tsx';
import { NotAvailable } from './components/NotAvailable.tsx';
import { OrgStaleBanner } from './components/OrgStaleBanner.tsx';
import { StepUpBanner } from './components/StepUpBanner.tsx';
import { DashboardPage } from './features/dashboard/DashboardPage.tsx';
import { mayOpen, type PageId, type PageInfo, pageInfo, pageOf, seesDashboard, usePathname } from './nav.ts';
import { useMe } from './queries.ts';
import './zodConfig.ts';

// The control-plane pages load on first visit: the dashboard, which most people open, stays lean.
const ProfilePage = lazy(() =>
  import('./features/profile/ProfilePage.tsx').then((m) => ({ default: m.ProfilePage })),
);
const AdminSessionsPage = lazy(() =>
  import('./features/sessions/AdminSessionsPage.tsx').then((m) => ({ default: m.AdminSessionsPage })),
);
const AdminTokensPage = lazy(() =>
  import('./features/tokens/AdminTokensPage.tsx').then((m) => ({ default: m.AdminTokensPage })),
);
const BreakGlassPage = lazy(() =>
  import('./features/break-glass/BreakGlassPage.tsx').then((m) => ({ default: m.BreakGlassPage })),
);
const ClaimsModelPage = lazy(() =>
  import('./features/claims-model/ClaimsModelPage.tsx').then((m) => ({ default: m.ClaimsModelPage })),
);
const OrgPage = lazy(() => import('./features/org/OrgPage.tsx').then((m) => ({ default: m.OrgPage })));
const PeoplePage = lazy(() =>
  import('./features/org/PeoplePage.tsx').then((m) => ({ default: m.PeoplePage })),
);
const RulesPage = lazy(() =>
  import('./features/rules/RulesPage.tsx').then((m) => ({ default: m.RulesPage })),
);
const ExceptionsPage = lazy(() =>
  import('./features/exceptions/ExceptionsPage.tsx').then((m) => ({ default: m.ExceptionsPage })),
);
const ReviewsPage = lazy(() =>
  import('./features/reviews/ReviewsPage.tsx').then((m) => ({ default: m.ReviewsPage })),
);
const InsightsPage = lazy(() =>
  import('./features/insights/InsightsPage.tsx').then((m) => ({ default: m.InsightsPage })),
);
const DuplicatesPage = lazy(() =>
  import('./features/duplicates/DuplicatesPage.tsx').then((m) => ({ default: m.DuplicatesPage })),
);
const LeaderboardPage = lazy(() =>
  import('./features/leaderboard/LeaderboardPage.tsx').then((m) => ({ default: m.LeaderboardPage })),
);
const ThemesPage = lazy(() =>
  import('./features/themes/ThemesPage.tsx').then((m) => ({ default: m.ThemesPage })),
);
const ReportsPage = lazy(() =>
  import('./features/reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })),
);
const BugReportsPage = lazy(() =>
  import('./features/bug-reports/BugReportsPage.tsx').then((m) => ({ default: m.BugReportsPage })),
);

const EventsPage = lazy(() =>
  import('./features/events/EventsPage.tsx').then((m) => ({ default: m.EventsPage })),
);
const ImportPage = lazy(() =>
  import('./features/imports/ImportPage.tsx').then((m) => ({ default: m.ImportPage })),
);
const FormsPage = lazy(() =>
  import('./features/forms/FormsPage.tsx').then((m) => ({ default: m.FormsPage })),
);
const DigestPage = lazy(() =>
  import('./features/digest/DigestPage.tsx').then((m) => ({ default: m.DigestPage })),
);
const AuditPage = lazy(() =>
  import('./features/audit/AuditPage.tsx').then((m) => ({ default: m.AuditPage })),
);
const AnalyticsPage = lazy(() =>
  import('./features/analytics/AnalyticsPage.tsx').then((m) => ({ default: m.AnalyticsPage })),
);
const ReadinessPage = lazy(() =>
  import('./features/readiness/ReadinessPage.tsx').then((m) => ({ default: m.ReadinessPage })),
);
const DecisionsPage = lazy(() =>
  import('./features/decisions/DecisionsPage.tsx').then((m) => ({ default: m.DecisionsPage })),
);
const WorkspacePage = lazy(() =>
  import('./features/workspace/WorkspacePage.tsx').then((m) => ({ default: m.WorkspacePage })),
);
const PackagesPage = lazy(() =>
  import('./features/packages/PackagesPage.tsx').then((m) => ({ default: m.PackagesPage })),
);

/** Which page a path shows this person: advocates' /admin/ is their profile; admin pages need admin. */
function resolvePage(pathname: string, me: Me): { page: PageInfo | null; allowed: boolean } {
  const page = pageOf(pathname);
  if (page?.id === 'dashboard' && !seesDashboard(me.role))
    return { page: pageInfo('profile'), allowed: true };
  return { page, allowed: page !== null && mayOpen(page, me.role) };
}

function PageBody({ id, me }: { id: PageId; me: Me }) {
  switch (id) {
    case 'dashboard':
      return <DashboardPage />;
    case 'profile':
      return <ProfilePage me={me} />;
    case 'sessions':
      return <AdminSessionsPage />;
    case 'tokens':
      return <AdminTokensPage />;
    case 'break-glass':
      return <BreakGlassPage />;
    case 'claims-model':
      return <ClaimsModelPage />;
    case 'org':
      return <OrgPage />;
    case 'people':
      return <PeoplePage />;
    case 'rules':
      return <RulesPage />;
    case 'exceptions':
      return <ExceptionsPage me={me} />;
    case 'reviews':
      return <ReviewsPage me={me} />;
    case 'bug-reports':
      return <BugReportsPage />;
    case 'leaderboard':
      return <LeaderboardPage />;
    case 'themes':
      return <ThemesPage />;
    case 'reports':
      return <ReportsPage />;
    case 'insights':
      return <InsightsPage me={me} />;
    case 'duplicates':
      return <DuplicatesPage me={me} />;
    case 'events':
      return <EventsPage me={me} />;
    case 'imports':
      return <ImportPage />;
    case 'forms':
      return <FormsPage me={me} />;
    case 'digest':
      return <DigestPage />;
    case 'audit':
      return <AuditPage />;
    case 'analytics':
      return <AnalyticsPage />;
    case 'readiness':
      return <ReadinessPage />;
    case 'decisions':
      return <DecisionsPage />;
    case 'workspace':
      return <WorkspacePage />;
    case 'packages':
      return <PackagesPage />;
  }
}

/** Loads who is signed in (a 401 sends the browser to sign in), then shows the page the path names. */
export function App() {
  const me = useMe();
  const pathname = usePathname();

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
  const { page, allowed } = resolvePage(pathname, me.data);
  document.title = `${page?.label ?? 'Not found'} · Builder Insights`;
  return (
    <>
      <BreakGlassBanner session={me.data.session} />
      <Header me={me.data} current={page} />
      <StepUpBanner />
      {me.data.role === 'admin' && <OrgStaleBanner />}
      {page !== null && allowed ? (
        <Suspense
          fallback={
            <Body className="admin-main" aria-live="polite">
              Loading…
            </Body>
          }
        >
          <PageBody id={page.id} me={me.data} />
        </Suspense>
      ) : (
        <NotAvailable page={page} />
      )}
    </>
  );
}
