import { useEffect, useRef } from 'react';
import { dateTime } from '../../ui/format.ts';
import { CaptureForm } from '../components/CaptureForm.tsx';
import { DraftList } from '../components/DraftList.tsx';
import { ViewerNotice } from '../components/ViewerNotice.tsx';
import { hasInput } from '../lib/form.ts';
import { hrefOf } from '../lib/routes.ts';
import type { Draft } from '../offline/types.ts';
import type { CaptureSession } from '../useCaptureSession.ts';
import { replaceRoute } from '../useRoute.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

interface CaptureScreenProps {
  session: CaptureSession;
  canCapture: boolean;
  roleLabel: string;
  drafts: Draft[];
  /** The path below #/capture: ['draft', id] opens that voice draft. */
  rest: string[];
}

/**
 * Opens the draft named in the route (once per route visit). When that draft stops being the open one (saved,
 * deleted, or the person started a new capture), the route goes back to #/capture so a reload doesn't reopen it.
 */
function useDraftRoute(session: CaptureSession, routeDraft: string | null) {
  const seen = useRef<{ route: string | null; opened: boolean }>({ route: null, opened: false });
  const { draftId, openDraft, form } = session;
  // biome-ignore lint/correctness/useExhaustiveDependencies: react to the route and the open draft only; the form is read at that moment
  useEffect(() => {
    if (routeDraft === null) {
      seen.current = { route: null, opened: false };
      return;
    }
    if (seen.current.route !== routeDraft) {
      seen.current = { route: routeDraft, opened: false };
      if (draftId !== routeDraft) {
        const replace =
          draftId !== null ||
          !hasInput(form) ||
          window.confirm('Open this draft? What you typed in the form now will be replaced.');
        if (!replace) replaceRoute(hrefOf('capture'));
        else
          void openDraft(routeDraft).then((opened) => {
            if (!opened) replaceRoute(hrefOf('capture'));
          });
        return;
      }
    }
    if (draftId === routeDraft) seen.current.opened = true;
    else if (seen.current.opened) replaceRoute(hrefOf('capture'));
  }, [routeDraft, draftId, openDraft]);
}

export function CaptureScreen({ session, canCapture, roleLabel, drafts, rest }: CaptureScreenProps) {
  const routeDraft = rest[0] === 'draft' ? (rest[1] ?? null) : null;
  useDraftRoute(session, routeDraft);
  const { draft } = session;

  const removeDraft = () => {
    if (window.confirm('Delete this draft and its recording? This cannot be undone.'))
      void session.deleteOpenDraft();
  };

  return (
    <>
      <ScreenTitle>Capture</ScreenTitle>
      {!canCapture ? (
        <ViewerNotice roleLabel={roleLabel} />
      ) : (
        <>
          {draft !== null && (
            <div className="banner banner--info" data-testid="draft-banner">
              <p>
                <strong>Drafting from a recording</strong> made {dateTime(draft.capturedAt)}. Listen, type
                what was said, then Save.
              </p>
              <div className="banner__actions">
                <button type="button" className="button button--quiet" onClick={session.closeDraft}>
                  New capture instead
                </button>
                <button type="button" className="button button--quiet" onClick={removeDraft}>
                  Delete draft
                </button>
              </div>
            </div>
          )}
          <CaptureForm session={session} />
          <DraftList drafts={drafts.filter((item) => item.id !== session.draftId)} title="Drafts" />
        </>
      )}
    </>
  );
}
