import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { type FormEvent, useId, useState } from 'react';
import {
  ACCESS_REVIEW_KINDS,
  ACCESS_REVIEW_LIMITS,
  type AccessReviewCampaign,
} from '../../../../contract/api/access-reviews.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useSessionState } from '../../sessionState.ts';
import { dayOffset } from '../exceptions/expiry.ts';
import { PersonPicker, type PickedPerson } from '../org/PersonPicker.tsx';
import { useCreateCampaign } from './queries.ts';

type Kind = (typeof ACCESS_REVIEW_KINDS)[number];
const KIND_TEXT: Record<Kind, string> = {
  privileged: 'Privileged access: managers, admins and everyone holding an exception',
  builder_relations: 'Builder Relations: members per the org source, and advocates and above',
  custom: 'Custom: the people you choose',
};
const DAY = 86_400_000;

interface Draft {
  name: string;
  kind: Kind;
  day: string;
  people: PickedPerson[];
}
const isDraft = (value: unknown): value is Draft => {
  const d = value as Draft;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof d.name === 'string' &&
    ACCESS_REVIEW_KINDS.includes(d.kind) &&
    typeof d.day === 'string' &&
    Array.isArray(d.people)
  );
};

/** The end of a picked local day (inside the 90-day limit); null when the day is out of range. */
function dueMoment(day: string, now = new Date()): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null || day < dayOffset(0, now) || day > dayOffset(ACCESS_REVIEW_LIMITS.maxDueDays, now))
    return null;
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 0);
  if (end.getTime() <= now.getTime()) return null;
  return new Date(Math.min(end.getTime(), now.getTime() + ACCESS_REVIEW_LIMITS.maxDueDays * DAY - 60_000));
}

/** Start a campaign. Kept in this tab while you verify it's you (starting one needs a recent MFA sign-in). */
export function CampaignForm({
  onCreated,
  onCancel,
}: {
  onCreated: (c: AccessReviewCampaign) => void;
  onCancel: () => void;
}) {
  const initial: Draft = { name: '', kind: 'privileged', day: dayOffset(14), people: [] };
  const [draft, setDraft, clearDraft] = useSessionState<Draft>('campaign', initial, isDraft);
  const [problems, setProblems] = useState<string[]>([]);
  const create = useCreateCampaign();
  const ids = { name: useId(), day: useId() };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: string[] = [];
    if (draft.name.trim() === '') found.push('Name: give the campaign a name.');
    if (draft.kind === 'custom' && draft.people.length === 0)
      found.push('People: choose at least one person.');
    const due = dueMoment(draft.day);
    if (due === null) found.push(`Due date: from today to ${ACCESS_REVIEW_LIMITS.maxDueDays} days ahead.`);
    setProblems(found);
    if (found.length > 0 || due === null) return;
    create.mutate(
      {
        name: draft.name.trim(),
        kind: draft.kind,
        dueAt: due.toISOString(),
        ...(draft.kind === 'custom' ? { personIds: draft.people.map((p) => p.id) } : {}),
      },
      {
        onSuccess: (campaign) => {
          clearDraft();
          onCreated(campaign);
        },
      },
    );
  };

  return (
    <form className="token-form" onSubmit={submit} noValidate data-testid="campaign-form">
      <TextInput
        id={ids.name}
        label="Name"
        description="e.g. Q3 privileged access review"
        value={draft.name}
        maxLength={ACCESS_REVIEW_LIMITS.name}
        onChange={(change) => setDraft({ ...draft, name: change.target.value })}
      />
      <Select
        label="Who is reviewed"
        allowDeselect={false}
        value={draft.kind}
        onChange={(value: string) =>
          setDraft({ ...draft, kind: ACCESS_REVIEW_KINDS.find((k) => k === value) ?? 'privileged' })
        }
      >
        {ACCESS_REVIEW_KINDS.map((kind) => (
          <Option key={kind} value={kind}>
            {KIND_TEXT[kind]}
          </Option>
        ))}
      </Select>
      {draft.kind === 'custom' && (
        <PersonPicker
          label="People to review"
          picked={draft.people}
          onChange={(people) => setDraft({ ...draft, people })}
          multiple
          max={ACCESS_REVIEW_LIMITS.customPeople}
          testId="campaign-people"
        />
      )}
      <label className="textarea-field" htmlFor={ids.day}>
        <span className="textarea-field__label">Due date</span>
        <span className="muted">
          Reviewers decide by the end of this day, at most {ACCESS_REVIEW_LIMITS.maxDueDays} days ahead.
        </span>
      </label>
      <input
        id={ids.day}
        type="date"
        className="date-input"
        value={draft.day}
        min={dayOffset(0)}
        max={dayOffset(ACCESS_REVIEW_LIMITS.maxDueDays)}
        onChange={(change) => setDraft({ ...draft, day: change.target.value })}
      />
      <p className="muted">
        Each person's entitlements go to their manager to review, or to an admin when they have none — never
        to the person themselves.
      </p>
      {problems.length > 0 && (
        <ul role="alert" className="form-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <ProblemNotice error={create.error} what="Couldn't start the campaign" />
      <div className="inline-form__buttons">
        <Button type="submit" variant="primary" disabled={create.isPending} isLoading={create.isPending}>
          Start campaign
        </Button>
        <Button
          onClick={() => {
            clearDraft();
            onCancel();
          }}
          disabled={create.isPending}
        >
          Cancel
        </Button>
      </div>
    </form>
  );
}
