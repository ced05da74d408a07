import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body, H1 } from '@leafygreen-ui/typography';
import { type FormEvent, useState } from 'react';
import type { EventCreate, EventDetail, EventUpdate } from '../../../../contract/api/events.ts';
import type { Me } from '../../../../contract/api/me.ts';
import type { FieldError } from '../../../../contract/problem.ts';
import { ApiError } from '../../../ui/api.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate } from '../../nav.ts';
import { EventFormFields } from './EventFormFields.tsx';
import {
  bodyOf,
  changedFields,
  collectErrors,
  type Draft,
  draftOf,
  emptyDraft,
  type FieldErrors,
  isStaleVersion,
  rebase,
  validate,
} from './eventDraft.ts';
import { EVENTS_PATH, eventHref } from './listUrl.ts';
import { useCreateEvent, useReloadEvent, useUpdateEvent } from './queries.ts';

const KNOWN_FIELDS = Object.keys(bodyOf(emptyDraft({ id: '', name: '' })));

/** /admin/events/new */
export function NewEventForm({ me }: { me: Me }) {
  const create = useCreateEvent();
  return (
    <EventFormShell
      title="New event"
      initial={emptyDraft({ id: me.person.id, name: me.person.name })}
      cancelHref={EVENTS_PATH}
      pending={create.isPending}
      submit={async (draft) => {
        const event = await create.mutateAsync(bodyOf(draft) as EventCreate);
        navigate(eventHref(event.id));
      }}
    />
  );
}

/** /admin/events/<id>/edit: sends only the changed fields, with the version the edit started from. */
export function EditEventForm({ event }: { event: EventDetail }) {
  const update = useUpdateEvent(event.id);
  const reload = useReloadEvent(event.id);
  const [base, setBase] = useState(() => ({ draft: draftOf(event), version: event.version }));
  return (
    <EventFormShell
      title={`Edit ${event.name}`}
      initial={base.draft}
      cancelHref={eventHref(event.id)}
      pending={update.isPending}
      submit={async (draft) => {
        const changes = changedFields(draft, base.draft);
        if (Object.keys(changes).length > 0)
          await update.mutateAsync({ ...changes, version: base.version } as EventUpdate);
        navigate(eventHref(event.id));
      }}
      reloadLatest={async (draft) => {
        const latest = await reload();
        const latestDraft = draftOf(latest);
        setBase({ draft: latestDraft, version: latest.version });
        return rebase(draft, base.draft, latestDraft);
      }}
    />
  );
}

interface ShellProps {
  title: string;
  initial: Draft;
  cancelHref: string;
  pending: boolean;
  submit: (draft: Draft) => Promise<void>;
  /** Edits only: load the newest version, keep the person's changes on top of it. */
  reloadLatest?: (draft: Draft) => Promise<Draft>;
}

function EventFormShell({ title, initial, cancelHref, pending, submit, reloadLatest }: ShellProps) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [rebased, setRebased] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((old) => ({ ...old, [key]: value }));
    // The person is fixing this field: its old message no longer applies.
    const errorKey = key === 'owner' ? 'ownerId' : key;
    setErrors((old) => {
      if (old[errorKey] === undefined) return old;
      const next = { ...old };
      delete next[errorKey];
      return next;
    });
  };
  const showErrors = (list: readonly FieldError[]) => {
    const { fields, other: rest } = collectErrors(list, KNOWN_FIELDS);
    setErrors(fields);
    setOther(rest);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setRebased(false);
    const problems = validate(bodyOf(draft), reloadLatest !== undefined);
    showErrors(problems);
    if (problems.length > 0) return;
    try {
      await submit(draft);
    } catch (error) {
      if (isStaleVersion(error)) setConflict(true);
      else if (error instanceof ApiError && error.fieldErrors.length > 0) showErrors(error.fieldErrors);
      else setFailure(error);
    }
  };

  const onReload = async () => {
    if (reloadLatest === undefined) return;
    try {
      setDraft(await reloadLatest(draft));
      setConflict(false);
      setRebased(true);
    } catch (error) {
      setFailure(error);
    }
  };

  const errorCount = Object.keys(errors).length + other.length;
  return (
    <main className="admin-main ev-page">
      <div className="page-head">
        <H1>{title}</H1>
      </div>
      {conflict && (
        <Banner variant="warning" data-testid="conflict">
          This event was changed by someone else since you opened it. Your input is still here: reload the
          latest version (your changes stay on top of it), check, and save again.{' '}
          <Button size="xsmall" onClick={() => void onReload()}>
            Reload latest version
          </Button>
        </Banner>
      )}
      {rebased && (
        <Banner variant="info">
          Loaded the latest version with your changes on top. Check them and save again.
        </Banner>
      )}
      {errorCount > 0 && (
        <Banner variant="danger" data-testid="form-errors">
          {errorCount === 1 ? 'One field needs attention.' : `${errorCount} fields need attention.`}
          {other.length > 0 && (
            <ul className="problem__fields">
              {other.map((item) => (
                <li key={`${item.field}:${item.message}`}>
                  <code>{item.field.replace(/^body\.?/, '') || 'request'}</code> {item.message}
                </li>
              ))}
            </ul>
          )}
        </Banner>
      )}
      <ProblemNotice error={failure} what="Couldn't save the event" />
      <form
        className="ev-form"
        onSubmit={(event) => void onSubmit(event)}
        noValidate
        data-testid="event-form"
      >
        <EventFormFields draft={draft} set={set} errors={errors} />
        <div className="ev-form__actions">
          <Button
            type="submit"
            variant="primary"
            disabled={pending}
            isLoading={pending}
            loadingText="Saving…"
          >
            {reloadLatest === undefined ? 'Create event' : 'Save changes'}
          </Button>
          <AppLink to={cancelHref} className="ev-button-link">
            Cancel
          </AppLink>
        </div>
        {reloadLatest === undefined && (
          <Body className="ev-muted">Sessions are added on the event's page once it is created.</Body>
        )}
      </form>
    </main>
  );
}
