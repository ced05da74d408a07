import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { useEffect, useRef, useState } from 'react';
import type { Insight } from '../../../../contract/api/insights.ts';
import type { Me } from '../../../../contract/api/me.ts';
import { atLeast } from '../../../../contract/roles.ts';
import {
  INSIGHT_TYPES,
  labelOf,
  PRIORITIES,
  PRODUCT_AREAS,
  SENTIMENTS,
} from '../../../../contract/taxonomy.ts';
import { ApiError, errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { EditForm } from './EditForm.tsx';
import { FollowUp } from './FollowUp.tsx';
import { insightsHref } from './filterUrl.ts';
import { MergedDuplicates, PossibleDuplicates } from './InsightDuplicates.tsx';
import { Modal } from './Modal.tsx';
import { Notes } from './Notes.tsx';
import { useActivity, useInsight } from './queries.ts';
import { Reactions } from './Reactions.tsx';
import { useUnmerge } from './reviewQueries.ts';

/** What this person may do with one insight (the server decides anyway; the UI offers only what works). */
export function permissionsOf(me: Me, insight: Pick<Insight, 'author'>) {
  const writer = atLeast(me.role, 'advocate');
  const curator = atLeast(me.role, 'manager');
  return {
    edit: writer && (curator || insight.author.id === me.person.id),
    social: writer,
    merge: curator,
  };
}

function Facts({ insight }: { insight: Insight }) {
  const dev = insight.developer;
  return (
    <dl className="facts" data-testid="insight-facts">
      <dt>Type</dt>
      <dd>{labelOf(INSIGHT_TYPES, insight.type)}</dd>
      <dt>Sentiment</dt>
      <dd>{labelOf(SENTIMENTS, insight.sentiment)}</dd>
      <dt>Priority</dt>
      <dd>{labelOf(PRIORITIES, insight.priority)}</dd>
      <dt>Product areas</dt>
      <dd>{insight.productAreas.map((a) => labelOf(PRODUCT_AREAS, a)).join(', ') || '–'}</dd>
      <dt>Tags</dt>
      <dd>{insight.tags.length === 0 ? '–' : insight.tags.map((t) => `#${t}`).join(' ')}</dd>
      <dt>Author</dt>
      <dd>
        {insight.author.name} ·{' '}
        <AppLink to={insightsHref({ authorId: insight.author.id })}>all their insights</AppLink>
      </dd>
      <dt>Captured</dt>
      <dd>
        <time dateTime={insight.capturedAt}>{dateTime(insight.capturedAt)}</time>
        {insight.source === 'voice' && ' · from a voice recording'}
        {insight.source === 'form' && ' · sent through a public feedback form'}
      </dd>
      <dt>Event</dt>
      <dd>
        {insight.event?.name ?? '–'}
        {insight.session !== null && ` · ${insight.session.title}`}
      </dd>
      {dev !== null && (
        <>
          <dt>Developer</dt>
          <dd>{[dev.role, dev.company, dev.experience].filter(Boolean).join(' · ') || '–'}</dd>
        </>
      )}
      <dt>Version</dt>
      <dd>
        {insight.version} · updated {dateTime(insight.updatedAt)}
      </dd>
    </dl>
  );
}

function MergedNotice({
  insight,
  canMerge,
  hrefOf,
}: {
  insight: Insight;
  canMerge: boolean;
  hrefOf: (id: string) => string;
}) {
  const unmerge = useUnmerge();
  if (insight.mergedInto === null) return null;
  return (
    <Banner variant="info" data-testid="merged-into">
      Merged into <AppLink to={hrefOf(insight.mergedInto)}>another insight</AppLink> as its duplicate: it
      counts once, as that one.{' '}
      {canMerge && (
        <Button size="xsmall" disabled={unmerge.isPending} onClick={() => unmerge.mutate(insight.id)}>
          Unmerge
        </Button>
      )}
      {unmerge.isError && <span> Couldn't unmerge: {errorMessage(unmerge.error)}</span>}
    </Banner>
  );
}

function Body({ insight, me, hrefOf }: { insight: Insight; me: Me; hrefOf: (id: string) => string }) {
  const can = permissionsOf(me, insight);
  const activity = useActivity(insight.id);
  const [editing, setEditing] = useState(false);
  return (
    <>
      <MergedNotice insight={insight} canMerge={can.merge} hrefOf={hrefOf} />
      {editing ? (
        <EditForm key={insight.id} insight={insight} onDone={() => setEditing(false)} />
      ) : (
        <section className="drawer__section" aria-label="The insight">
          <p className="insight-full" data-testid="insight-text">
            {insight.text}
          </p>
          <Facts insight={insight} />
          {can.edit && (
            <Button size="small" onClick={() => setEditing(true)}>
              Edit…
            </Button>
          )}
        </section>
      )}
      <FollowUp key={`${insight.id}:${insight.version}`} insight={insight} canEdit={can.edit} />
      {activity.isError && (
        <Banner variant="danger">Couldn't load notes: {errorMessage(activity.error)}</Banner>
      )}
      {activity.isPending && <p className="muted">Loading reactions and notes…</p>}
      {activity.data !== undefined && (
        <>
          <Reactions insightId={insight.id} reactions={activity.data.reactions} canReact={can.social} />
          <Notes insightId={insight.id} notes={activity.data.notes} canWrite={can.social} />
        </>
      )}
      <PossibleDuplicates insight={insight} canMerge={can.merge} hrefOf={hrefOf} />
      <MergedDuplicates insight={insight} canMerge={can.merge} hrefOf={hrefOf} />
    </>
  );
}

/** /admin/insights/<id>: the whole insight beside the list. Escape or Close goes back to the list. */
export function InsightDrawer(props: {
  id: string;
  me: Me;
  onClose: () => void;
  hrefOf: (id: string) => string;
}) {
  const { id, me, onClose, hrefOf } = props;
  const insight = useInsight(id);
  const data = insight.data;
  const missing = insight.error instanceof ApiError && insight.error.status === 404;
  const heading = useRef<HTMLHeadingElement>(null);
  // Following a link inside the drawer (a merged duplicate, its primary) shows another insight: start there.
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the insight shown changes
  useEffect(() => {
    if (first.current) first.current = false;
    else heading.current?.focus();
  }, [id]);
  return (
    <Modal labelledBy="drawer-title" onClose={onClose} className="drawer" testId="insight-drawer">
      <header className="drawer__head">
        <h2 id="drawer-title" ref={heading} tabIndex={-1} data-autofocus>
          {data === undefined ? 'Insight' : (data.title ?? `Insight by ${data.author.name}`)}
        </h2>
        {data?.followUpState !== null && data?.followUpState !== undefined && (
          <Badge variant="yellow">Follow-up</Badge>
        )}
        <Button size="small" onClick={onClose} aria-label="Close details">
          Close
        </Button>
      </header>
      <div className="drawer__body">
        {insight.isPending && <p aria-live="polite">Loading…</p>}
        {missing && <Banner variant="warning">This insight doesn't exist or is outside your scope.</Banner>}
        {insight.isError && !missing && (
          <Banner variant="danger">Couldn't load the insight: {errorMessage(insight.error)}</Banner>
        )}
        {data !== undefined && <Body key={data.id} insight={data} me={me} hrefOf={hrefOf} />}
      </div>
    </Modal>
  );
}
