import { Button } from '@leafygreen-ui/button';
import { TextInput } from '@leafygreen-ui/text-input';
import { type FormEvent, useId } from 'react';
import { type OrgSourceStatus, STALENESS_MINUTES } from '../../../../contract/api/directory.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { stringRecord, useSessionState } from '../../sessionState.ts';
import { useConfigureSource } from './queries.ts';
import { minutesText, SOURCE_LABEL } from './statusQuery.ts';

const isDraft = stringRecord('enabled', 'minutes');

/** Turn a source on or off and set how stale is too stale (needs a recent MFA sign-in; kept across it). */
export function SourceSettings({ status }: { status: OrgSourceStatus }) {
  const initial = { enabled: String(status.enabled), minutes: String(status.maxStalenessMinutes) };
  const [draft, setDraft, clear] = useSessionState(`source.${status.source}`, initial, isDraft);
  const configure = useConfigureSource();
  const minutesId = useId();
  const minutes = Number(draft.minutes);
  const valid =
    Number.isInteger(minutes) && minutes >= STALENESS_MINUTES.min && minutes <= STALENESS_MINUTES.max;
  const changed = draft.enabled !== initial.enabled || draft.minutes !== initial.minutes;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || !changed) return;
    configure.mutate(
      { source: status.source, update: { enabled: draft.enabled === 'true', maxStalenessMinutes: minutes } },
      { onSuccess: clear },
    );
  };

  return (
    <form
      className="inline-form source-settings"
      onSubmit={submit}
      noValidate
      aria-label={`${SOURCE_LABEL[status.source]} settings`}
    >
      <label className="check">
        <input
          type="checkbox"
          checked={draft.enabled === 'true'}
          onChange={(change) => setDraft({ ...draft, enabled: String(change.target.checked) })}
        />
        Enabled (a disabled source is refused and never counts as stale)
      </label>
      <TextInput
        id={minutesId}
        label="Maximum staleness (minutes)"
        description={
          valid
            ? `${minutesText(minutes)}; from ${STALENESS_MINUTES.min} minutes to 30 days`
            : `A whole number from ${STALENESS_MINUTES.min} to ${STALENESS_MINUTES.max} (30 days)`
        }
        type="number"
        min={STALENESS_MINUTES.min}
        max={STALENESS_MINUTES.max}
        state={valid ? 'none' : 'error'}
        value={draft.minutes}
        onChange={(change) => setDraft({ ...draft, minutes: change.target.value })}
      />
      <ProblemNotice error={configure.error} what="Couldn't save the settings" />
      <div className="inline-form__buttons">
        <Button
          type="submit"
          size="small"
          variant="primary"
          disabled={!valid || !changed || configure.isPending}
        >
          Save settings
        </Button>
        {changed && (
          <Button size="small" onClick={clear} disabled={configure.isPending}>
            Undo
          </Button>
        )}
      </div>
    </form>
  );
}
