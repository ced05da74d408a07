import { Button } from '@leafygreen-ui/button';
import { type FormEvent, useState } from 'react';
import { type EventSession, SessionCreate, SessionUpdate } from '../../../../contract/api/events.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import type { FieldError } from '../../../../contract/problem.ts';
import { ApiError } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { fieldOf, isStaleVersion } from './eventDraft.ts';
import { TextInput } from './fields.tsx';
import type { SessionChange } from './queries.ts';
import { isoToWall, wallToIso } from './zoned.ts';

const FIELDS = [
  'title',
  'speaker',
  'room',
  'startsAt',
  'endsAt',
  'audienceSize',
  'commonQuestions',
  'resonantDemos',
  'engagementNotes',
] as const;
type SessionField = (typeof FIELDS)[number];
type SessionDraft = Record<SessionField, string>;

function draftOf(session: EventSession | null, timeZone: string | null): SessionDraft {
  return {
    title: session?.title ?? '',
    speaker: session?.speaker ?? '',
    room: session?.room ?? '',
    startsAt: isoToWall(session?.startsAt ?? null, timeZone),
    endsAt: isoToWall(session?.endsAt ?? null, timeZone),
    audienceSize: session?.audienceSize == null ? '' : String(session.audienceSize),
    commonQuestions: session?.commonQuestions ?? '',
    resonantDemos: session?.resonantDemos ?? '',
    engagementNotes: session?.engagementNotes ?? '',
  };
}

function bodyOf(draft: SessionDraft, timeZone: string | null): Record<string, unknown> {
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  const size = draft.audienceSize.trim();
  return {
    title: draft.title.trim(),
    speaker: text(draft.speaker),
    room: text(draft.room),
    startsAt: draft.startsAt === '' ? null : wallToIso(draft.startsAt, timeZone),
    endsAt: draft.endsAt === '' ? null : wallToIso(draft.endsAt, timeZone),
    audienceSize: size === '' ? null : /^\d+$/.test(size) ? Number(size) : size,
    commonQuestions: text(draft.commonQuestions),
    resonantDemos: text(draft.resonantDemos),
    engagementNotes: text(draft.engagementNotes),
  };
}

interface SessionFormProps {
  /** null: a new session. */
  session: EventSession | null;
  /** The event's zone: times are typed and shown as wall-clock times there. */
  timeZone: string | null;
  save: (change: SessionChange) => Promise<unknown>;
  onDone: () => void;
}

/** Add or edit one session: title, speaker, room, times, audience size and the three kinds of notes. */
export function SessionForm({ session, timeZone, save, onDone }: SessionFormProps) {
  const [draft, setDraft] = useState(() => draftOf(session, timeZone));
  const [errors, setErrors] = useState<Partial<Record<SessionField, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const zoneNote = timeZone === null ? 'your time zone' : timeZone;

  const show = (list: readonly FieldError[]) => {
    const next: Partial<Record<SessionField, string>> = {};
    for (const error of list) {
      const field = fieldOf(error.field) as SessionField;
      if (FIELDS.includes(field)) next[field] ??= error.message;
    }
    setErrors(next);
    return Object.keys(next).length;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const body = bodyOf(draft, timeZone);
    const problems: FieldError[] = [];
    if (typeof body.audienceSize === 'string')
      problems.push({ field: 'audienceSize', message: 'must be a whole number' });
    const checked = (session === null ? SessionCreate : SessionUpdate).safeParse(
      session === null ? body : { ...body, version: session.version },
    );
    if (!checked.success) {
      for (const issue of checked.error.issues)
        problems.push({ field: issue.path.map(String).join('.'), message: issue.message });
    }
    if (show(problems) > 0) return;
    setBusy(true);
    try {
      await save(
        session === null
          ? { kind: 'create', body: body as SessionCreate }
          : {
              kind: 'update',
              sessionId: session.id,
              body: { ...body, version: session.version } as SessionUpdate,
            },
      );
      onDone();
    } catch (error) {
      if (!isStaleVersion(error) && error instanceof ApiError && show(error.fieldErrors) > 0) return;
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: SessionField, label: string, extra: Partial<Parameters<typeof TextInput>[0]> = {}) => (
    <TextInput
      label={label}
      value={draft[key]}
      onChange={(value) => {
        setDraft((old) => ({ ...old, [key]: value }));
        setErrors((old) => ({ ...old, [key]: undefined }));
      }}
      error={errors[key]}
      {...extra}
    />
  );
  const conflict = isStaleVersion(failure);

  return (
    <form
      className="ev-session-form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-label={session === null ? 'New session' : `Edit session ${session.title}`}
      data-testid="session-form"
    >
      {conflict ? (
        <ProblemNotice
          error={failure}
          what="Someone else changed this session — close the form to see their version, then edit again"
        />
      ) : (
        <ProblemNotice error={failure} what="Couldn't save the session" />
      )}
      <div className="ev-form__grid">
        {field('title', 'Title', {
          maxLength: LIMITS.eventName,
          required: true,
          className: 'ev-field--wide',
        })}
        {field('speaker', 'Speaker', { maxLength: LIMITS.eventText })}
        {field('room', 'Room', { maxLength: LIMITS.eventText })}
        {field('startsAt', 'Starts', { type: 'datetime-local', hint: `In ${zoneNote}` })}
        {field('endsAt', 'Ends', { type: 'datetime-local', hint: `In ${zoneNote}` })}
        {field('audienceSize', 'Audience size', { type: 'number', step: '1', maxLength: 7 })}
        {field('commonQuestions', 'Common questions', {
          multiline: true,
          maxLength: LIMITS.sessionNotes,
          className: 'ev-field--wide',
        })}
        {field('resonantDemos', 'Resonant demos', {
          multiline: true,
          maxLength: LIMITS.sessionNotes,
          className: 'ev-field--wide',
        })}
        {field('engagementNotes', 'Engagement notes', {
          multiline: true,
          maxLength: LIMITS.sessionNotes,
          className: 'ev-field--wide',
        })}
      </div>
      <div className="ev-form__actions">
        <Button type="submit" variant="primary" disabled={busy} isLoading={busy} loadingText="Saving…">
          {session === null ? 'Add session' : 'Save session'}
        </Button>
        <Button type="button" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
