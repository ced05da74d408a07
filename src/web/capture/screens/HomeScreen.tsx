import { type FormEvent, useEffect, useState } from 'react';
import type { InsightCreate } from '../../../contract/api/insights.ts';
import type { Impact } from '../../../contract/api/social.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { newId } from '../../ui/format.ts';
import { ContextChip } from '../components/ContextChip.tsx';
import { DraftList } from '../components/DraftList.tsx';
import { FormFeedback } from '../components/FormFeedback.tsx';
import { ViewerNotice } from '../components/ViewerNotice.tsx';
import { isOnline, queueProblem, savedMessage, useSaveFeedback } from '../feedback.ts';
import { EMPTY_FORM, localProblems, toInsightFields } from '../lib/form.ts';
import { hrefOf } from '../lib/routes.ts';
import { queueInsight } from '../offline/outbox.ts';
import type { Draft, OutboxView, Owner } from '../offline/types.ts';
import { type CheckIn, loadKept, saveKept } from '../storage.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

interface HomeProps {
  owner: Owner;
  firstName: string;
  canCapture: boolean;
  roleLabel: string;
  checkIn: CheckIn;
  sessionEnded: boolean;
  impact: Impact | null;
  view: OutboxView;
  drafts: Draft[];
  syncText: string;
}

const startOfToday = () => {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  return midnight.getTime();
};

/** Type, tap Save: the default chips and the current check-in, saved on the device at once. */
function QuickCapture({
  owner,
  checkIn,
  sessionEnded,
}: Pick<HomeProps, 'owner' | 'checkIn' | 'sessionEnded'>) {
  const key = `bi.capture.quick.${owner.id}`;
  const [text, setText] = useState(() => {
    const kept = loadKept(key);
    return typeof kept === 'string' ? kept.slice(0, LIMITS.insightText) : '';
  });
  const [saving, setSaving] = useState(false);
  const { feedback, setFeedback, tapped } = useSaveFeedback();

  useEffect(() => saveKept(key, text === '' ? null : text), [key, text]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const fields = toInsightFields({ ...EMPTY_FORM, text }, checkIn);
    const problems = localProblems(fields);
    if (problems.length > 0) {
      setFeedback({ kind: 'error', detail: problems.join(' '), fields: [] });
      return;
    }
    tapped();
    setSaving(true);
    try {
      const body: InsightCreate = {
        id: newId(),
        ...fields,
        capturedAt: new Date().toISOString(),
        source: 'capture',
      };
      const problem = queueProblem(await queueInsight(body, owner));
      if (problem !== null) {
        setFeedback(problem);
        return;
      }
      setText('');
      setFeedback(savedMessage(isOnline(), sessionEnded));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="quick"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby="quick-heading"
    >
      <h2 id="quick-heading">Quick capture</h2>
      <label className="field">
        <span className="field__label">What did the developer say?</span>
        <textarea
          name="text"
          rows={3}
          maxLength={LIMITS.insightText}
          value={text}
          onChange={(change) => setText(change.target.value)}
        />
        <span className="field__hint">
          Saved as a Feature Request, neutral, medium priority — <a href={hrefOf('capture')}>more options</a>
        </span>
      </label>
      <FormFeedback feedback={feedback} />
      <button type="submit" className="button button--primary" disabled={saving}>
        Save insight
      </button>
    </form>
  );
}

export function HomeScreen(props: HomeProps) {
  const { view, impact, drafts, canCapture } = props;
  const midnight = startOfToday();
  const queuedToday = [...view.pending, ...view.attention].filter(
    (item) => item.kind === 'insight' && Date.parse(item.queuedAt) >= midnight,
  ).length;
  // The server's count is only today's if it was fetched today (the cached one may be from yesterday).
  const serverToday = impact !== null && Date.parse(impact.generatedAt) >= midnight ? impact.stats.today : 0;
  const today = serverToday + queuedToday;
  const onDevice = view.pending.length + view.attention.length + view.conflicts.length;

  return (
    <>
      <ScreenTitle>Hi, {props.firstName}</ScreenTitle>
      <div className="home-context">
        <ContextChip checkIn={props.checkIn} />
      </div>
      {canCapture ? (
        <QuickCapture owner={props.owner} checkIn={props.checkIn} sessionEnded={props.sessionEnded} />
      ) : (
        <ViewerNotice roleLabel={props.roleLabel} />
      )}
      <section className="stats stats--home" aria-label="Today">
        <div className="stat" data-testid="today-count">
          <span className="stat__value">{today}</span>
          <span className="stat__label">
            captured today{impact === null && queuedToday > 0 ? ' on this device' : ''}
          </span>
        </div>
        <a
          className="stat stat--link"
          href={hrefOf('profile')}
          data-testid="pending-count"
          data-pending={onDevice}
        >
          <span className="stat__value">{onDevice}</span>
          <span className="stat__label">{onDevice === 0 ? 'all synced' : 'waiting to sync'}</span>
        </a>
      </section>
      <p className="home-sync">{props.syncText}</p>
      <DraftList drafts={drafts} title="Drafts to review" />
    </>
  );
}
