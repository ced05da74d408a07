import { useEffect, useMemo, useRef, useState } from 'react';
import type { Insight } from '../../contract/api/insights.ts';
import { atLeast, ROLE_LABEL } from '../../contract/roles.ts';
import { firstName, loadMe } from '../ui/session.ts';
import { BugReportSheet } from './components/BugReportSheet.tsx';
import { SessionBanner } from './components/SessionBanner.tsx';
import { TabBar } from './components/TabBar.tsx';
import { TopBar } from './components/TopBar.tsx';
import { UpdateBanner } from './components/UpdateBanner.tsx';
import { clearSessionEnded, markSessionEnded, useSessionEnded, type Who } from './connection.ts';
import { TAB_LABEL } from './lib/routes.ts';
import { outboxCounts, syncWords } from './lib/sync-words.ts';
import { useDrafts } from './offline/drafts.ts';
import { useOutboxView } from './offline/outbox.ts';
import { startSync, useSyncStatus } from './offline/sync.ts';
import { useUpdateAvailable } from './offline/update.ts';
import { CaptureScreen } from './screens/CaptureScreen.tsx';
import { ConflictScreen } from './screens/ConflictScreen.tsx';
import { ContextScreen } from './screens/ContextScreen.tsx';
import { EditInsight } from './screens/EditInsight.tsx';
import { HomeScreen } from './screens/HomeScreen.tsx';
import { ImpactScreen } from './screens/ImpactScreen.tsx';
import { InsightDetail } from './screens/InsightDetail.tsx';
import { ProfileScreen } from './screens/ProfileScreen.tsx';
import { useCheckIn } from './storage.ts';
import { useCaptureSession } from './useCaptureSession.ts';
import { useCaptureSignOut } from './useCaptureSignOut.ts';
import { useFetch } from './useFetch.ts';
import { useNow } from './useNow.ts';
import { useOnline } from './useOnline.ts';
import { useCaptureConfig, useEvents, useImpact } from './useRemote.ts';
import { useRoute } from './useRoute.ts';

/**
 * While the session is over: each time the app comes back to the foreground or online, ask /me again. The
 * same person signed in again (e.g. in another tab) → syncing resumes here; someone else → reload as them.
 */
function useSessionRecovery(personId: string, sessionEnded: boolean, restart: () => void) {
  const restartRef = useRef(restart);
  restartRef.current = restart;
  useEffect(() => {
    if (!sessionEnded) return;
    let active = true;
    const check = () => {
      if (document.visibilityState !== 'visible') return;
      loadMe({ redirectOnUnauthorized: false }).then(
        (me) => {
          if (!active) return;
          if (me.person.id !== personId) window.location.reload();
          else {
            clearSessionEnded();
            restartRef.current();
          }
        },
        () => undefined,
      );
    };
    document.addEventListener('visibilitychange', check);
    window.addEventListener('online', check);
    window.addEventListener('focus', check);
    return () => {
      active = false;
      document.removeEventListener('visibilitychange', check);
      window.removeEventListener('online', check);
      window.removeEventListener('focus', check);
    };
  }, [personId, sessionEnded]);
}

interface ShellProps {
  who: Who;
  email: string | null;
}

/**
 * The signed-in app: top bar, the five tabs, banners (session ended, update ready, conflicts) and the problem
 * report sheet. Everything a screen needs from the device or the server is loaded here once, so switching tabs
 * is instant and works offline.
 */
export function Shell({ who, email }: ShellProps) {
  const route = useRoute();
  const personId = who.person.id;
  const owner = useMemo(() => ({ id: personId, name: who.person.name }), [personId, who.person.name]);
  const canCapture = atLeast(who.role, 'advocate');
  const status = useSyncStatus();
  const sessionEnded = useSessionEnded() || status.state === 'signed_out';
  const online = useOnline();
  const view = useOutboxView(personId);
  const drafts = useDrafts(personId);
  const checkIn = useCheckIn();
  const events = useEvents();
  const config = useCaptureConfig();
  const impact = useImpact(personId, status.lastSyncedAt);
  const session = useCaptureSession({ owner, context: checkIn, config: config.value, sessionEnded });
  const counts = outboxCounts(view);
  const now = useNow(1000, status.state === 'waiting');
  const words = syncWords(status, counts, now, online);
  const update = useUpdateAvailable();
  const [reporting, setReporting] = useState(false);
  const { signingOut, error: signOutError, signOut } = useCaptureSignOut(personId);
  const onDevice = counts.waiting + counts.needAttention;

  const [syncEpoch, setSyncEpoch] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: syncEpoch restarts the loop after a sign-in elsewhere
  useEffect(() => {
    // The loop says the session ended. If the browser is now signed in as someone else (another tab), this
    // page reloads as them (this person's items wait on the device); otherwise the banner asks to sign in.
    const onSessionEnded = () => {
      markSessionEnded();
      loadMe({ redirectOnUnauthorized: false }).then(
        (me) => me.person.id !== personId && window.location.reload(),
        () => undefined,
      );
    };
    return startSync({ personId, onSessionEnded });
  }, [personId, syncEpoch]);
  useSessionRecovery(personId, sessionEnded, () => setSyncEpoch((epoch) => epoch + 1));

  // A new screen: move focus to its heading (screen readers announce it) and start at the top.
  const routeKey = `${route.tab}/${route.rest.join('/')}`;
  const firstRoute = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the route changes, which routeKey stands for
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    document.getElementById('screen-title')?.focus();
    window.scrollTo(0, 0);
  }, [routeKey]);

  // One last sync, a warning, the server ends the session, then the device is cleared (useCaptureSignOut.ts).
  const onSignOut = () => void signOut(sessionEnded);

  const roleLabel = ROLE_LABEL[who.role];
  const conflictOf = (id: string | undefined) => view.conflicts.find((item) => item.id === id) ?? null;

  const screen = () => {
    const [first, second] = route.rest;
    switch (route.tab) {
      case 'home':
        return (
          <HomeScreen
            owner={owner}
            firstName={firstName(who.person.name)}
            canCapture={canCapture}
            roleLabel={roleLabel}
            checkIn={checkIn}
            sessionEnded={sessionEnded}
            impact={impact.value}
            view={view}
            drafts={drafts}
            syncText={words.text}
          />
        );
      case 'capture':
        return (
          <CaptureScreen
            session={session}
            canCapture={canCapture}
            roleLabel={roleLabel}
            drafts={drafts}
            rest={route.rest}
          />
        );
      case 'context':
        return <ContextScreen events={events} checkIn={checkIn} online={online} />;
      case 'impact':
        if (first === 'conflict')
          return (
            <ConflictScreen key={conflictOf(second)?.id ?? 'none'} item={conflictOf(second)} tab="impact" />
          );
        if (first !== undefined)
          return (
            <InsightRoute
              id={first}
              edit={second === 'edit'}
              known={impact.value?.recent.find((item) => item.insight.id === first)?.insight ?? null}
              view={view}
              canEdit={canCapture}
              owner={owner}
              refreshKey={status.lastSyncedAt}
            />
          );
        return <ImpactScreen impact={impact} conflicts={view.conflicts} online={online} />;
      case 'profile':
        if (first === 'conflict')
          return (
            <ConflictScreen key={conflictOf(second)?.id ?? 'none'} item={conflictOf(second)} tab="profile" />
          );
        return (
          <ProfileScreen
            name={who.person.name}
            email={email}
            roleLabel={roleLabel}
            view={view}
            drafts={drafts.length}
            status={status}
            words={words}
            sessionEnded={sessionEnded}
            onReport={() => setReporting(true)}
            onSignOut={onSignOut}
            signingOut={signingOut}
            signOutError={signOutError}
          />
        );
    }
  };

  return (
    <>
      <TopBar
        checkIn={checkIn}
        pending={onDevice}
        online={online}
        tone={words.tone}
        syncText={words.text}
        onReport={() => setReporting(true)}
        recordingSeconds={
          session.recorder.state === 'recording' && route.tab !== 'capture'
            ? session.recorder.elapsedSeconds
            : null
        }
      />
      <main className="page" id="main">
        {sessionEnded && <SessionBanner waiting={onDevice} />}
        {update.available && (
          <UpdateBanner
            onReload={async () => {
              await session.persist();
              update.reload();
            }}
          />
        )}
        {screen()}
      </main>
      <TabBar
        current={route.tab}
        badges={{ capture: drafts.length, impact: view.conflicts.length, profile: counts.needAttention }}
      />
      <BugReportSheet
        open={reporting}
        onClose={() => setReporting(false)}
        owner={owner}
        screen={TAB_LABEL[route.tab]}
        sessionEnded={sessionEnded}
      />
    </>
  );
}

interface InsightRouteProps {
  id: string;
  edit: boolean;
  /** The insight as the Impact list has it (works offline); otherwise it is fetched. */
  known: Insight | null;
  view: ReturnType<typeof useOutboxView>;
  canEdit: boolean;
  owner: { id: string; name: string };
  refreshKey: unknown;
}

function InsightRoute({ id, edit, known, view, canEdit, owner, refreshKey }: InsightRouteProps) {
  const fetched = useFetch<Insight>(`/api/v1/insights/${encodeURIComponent(id)}`, refreshKey);
  const insight = fetched.value ?? known;
  const pendingEdit =
    [...view.pending, ...view.attention, ...view.conflicts].find(
      (item): item is Extract<typeof item, { kind: 'edit' }> => item.kind === 'edit' && item.insightId === id,
    ) ?? null;
  if (insight === null)
    return (
      <p className="note" role="status">
        {fetched.loading
          ? 'Loading…'
          : `This insight can't be shown right now${fetched.error ? `: ${fetched.error}` : '.'}`}
      </p>
    );
  if (edit && canEdit && pendingEdit?.state !== 'conflict')
    return <EditInsight key={insight.id} insight={insight} pendingEdit={pendingEdit} owner={owner} />;
  return (
    <InsightDetail insight={insight} pendingEdit={pendingEdit} canEdit={canEdit} refreshKey={refreshKey} />
  );
}
