import { useState } from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import { dateTime } from '../../ui/format.ts';
import { FormFeedback } from '../components/FormFeedback.tsx';
import type { Feedback } from '../feedback.ts';
import { mergedTextProblem, mergeText, summarizeConflict } from '../lib/edits.ts';
import { hrefOf, type Tab } from '../lib/routes.ts';
import { resolveConflict } from '../offline/outbox.ts';
import type { ConflictChoice, EditItem } from '../offline/types.ts';
import { replaceRoute } from '../useRoute.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

interface VersionSideProps {
  id: string;
  heading: string;
  text: string;
  differs: boolean;
  rows: { field: string; label: string; value: string }[];
}

/** One side of the comparison: its text and the other fields that differ. */
function VersionSide({ id, heading, text, differs, rows }: VersionSideProps) {
  return (
    <section className="compare__side" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <p className={`compare__text${differs ? ' compare__text--differs' : ''}`}>{text}</p>
      {rows.length > 0 && (
        <dl>
          {rows.map((row) => (
            <div key={row.field}>
              <dt>{row.label}</dt>
              <dd>{row.value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

interface ConflictScreenProps {
  item: EditItem | null;
  /** The tab this was opened from (the way back). */
  tab: Tab;
}

/**
 * My edit met a newer version: both side by side, and three ways out — keep mine (my changes over theirs),
 * take theirs (drop my edit), or merge the text. Nothing is overwritten without this choice.
 */
export function ConflictScreen({ item, tab }: ConflictScreenProps) {
  const current = item?.current ?? null;
  const summary =
    item !== null && current !== null ? summarizeConflict(item.base, item.changes, current) : null;
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState(() =>
    summary === null ? '' : mergeText(summary.theirsText, summary.mineText),
  );
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [busy, setBusy] = useState(false);

  if (item === null || current === null || summary === null) {
    return (
      <>
        <ScreenTitle>Conflict</ScreenTitle>
        <p className="note">This conflict is already settled.</p>
        <a className="button button--secondary" href={hrefOf(tab)}>
          Back
        </a>
      </>
    );
  }

  const choose = async (choice: ConflictChoice) => {
    if (choice.keep === 'merged') {
      const problem = mergedTextProblem(choice.text);
      if (problem !== null) {
        setFeedback({ kind: 'error', detail: problem, fields: [] });
        return;
      }
    }
    setBusy(true);
    try {
      await resolveConflict(
        item.id,
        choice.keep === 'merged' ? { keep: 'merged', text: choice.text.trim() } : choice,
      );
      replaceRoute(tab === 'impact' ? hrefOf('impact', item.insightId) : hrefOf(tab));
    } catch {
      setFeedback({
        kind: 'error',
        detail: "Couldn't save your choice on this device. Try again.",
        fields: [],
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="back">
        <a href={hrefOf(tab)}>← Back</a>
      </p>
      <ScreenTitle>Someone else changed this insight</ScreenTitle>
      <p>
        It was changed on the server ({dateTime(current.updatedAt)}) after you started your edit. Choose what
        to keep.
      </p>
      <div className="compare" data-testid="conflict-compare">
        <VersionSide
          id="mine-heading"
          heading="Your version"
          text={summary.mineText}
          differs={summary.textDiffers}
          rows={summary.rows.map((row) => ({ field: row.field, label: row.label, value: row.mine }))}
        />
        <VersionSide
          id="theirs-heading"
          heading="Their version (on the server now)"
          text={summary.theirsText}
          differs={summary.textDiffers}
          rows={summary.rows.map((row) => ({ field: row.field, label: row.label, value: row.theirs }))}
        />
      </div>
      {summary.theirOtherChanges.length > 0 && (
        <p className="note">
          They also changed {summary.theirOtherChanges.join(', ')} — kept whichever you choose.
        </p>
      )}
      <FormFeedback feedback={feedback} />
      <div className="choices">
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void choose({ keep: 'mine' })}
        >
          Keep mine
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={busy}
          onClick={() => void choose({ keep: 'theirs' })}
        >
          Take theirs
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={busy}
          aria-expanded={merging}
          onClick={() => setMerging((open) => !open)}
        >
          Merge text
        </button>
      </div>
      {merging && (
        <div className="merge">
          <label className="field">
            <span className="field__label">Merged text</span>
            <span className="field__hint">Your other changes are kept with it.</span>
            <textarea
              name="merged"
              rows={8}
              maxLength={LIMITS.insightText}
              value={merged}
              onChange={(change) => setMerged(change.target.value)}
            />
          </label>
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void choose({ keep: 'merged', text: merged })}
          >
            Save merged text
          </button>
        </div>
      )}
    </>
  );
}
