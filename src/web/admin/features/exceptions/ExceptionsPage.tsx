import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import {
  type AccessException,
  EXCEPTION_STATUSES,
  type ExceptionStatus,
} from '../../../../contract/api/access.ts';
import type { Me } from '../../../../contract/api/me.ts';
import { atLeast } from '../../../../contract/roles.ts';
import { errorMessage } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { usePerson } from '../org/peopleQueries.ts';
import { ExceptionRequestForm } from './ExceptionRequestForm.tsx';
import { ExceptionsTable } from './ExceptionsTable.tsx';
import { type ExceptionAction, useExceptionAction, useExceptions } from './queries.ts';
import '../../access.css';
import { LoadMore } from '../../components/LoadMore.tsx';

const ALL = 'all';
const PAST = { approve: 'Approved', reject: 'Rejected', revoke: 'Revoked' } as const;

/** ?subject=<id> (from a person's page): open the request form for that person. */
function subjectParam(): string | null {
  const id = new URLSearchParams(window.location.search).get('subject');
  return id !== null && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

/** Exceptions (/admin/exceptions): time-bound access beyond the rules — list, request, decide, revoke. */
export function ExceptionsPage({ me }: { me: Me }) {
  const [subjectId] = useState(subjectParam);
  const subject = usePerson(subjectId !== null && atLeast(me.role, 'manager') ? subjectId : null);
  const [status, setStatus] = useState<ExceptionStatus | undefined>(undefined);
  const [formOpen, setFormOpen] = useState(subjectId !== null);
  const [done, setDone] = useState<string | null>(null);
  const pages = useExceptions(status === undefined ? {} : { status });
  const act = useExceptionAction();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const scopeText =
    me.role === 'admin'
      ? 'every exception'
      : me.role === 'manager'
        ? 'the exceptions of the people in your scope, and those you asked for or decided'
        : 'your exceptions and those you asked for or decided';

  const onAct = (e: AccessException, action: ExceptionAction, text: string) => {
    setDone(null);
    act.mutate(
      { id: e.id, action, text },
      { onSuccess: () => setDone(`${PAST[action]} ${e.subject.name}'s exception (${e.scopeLabel}).`) },
    );
  };
  const onRequested = (created: AccessException) => {
    setFormOpen(false);
    setDone(
      `Requested ${created.role} access (${created.scopeLabel}) for ${created.subject.name}. Someone other than you and them approves it.`,
    );
  };
  const waitingForSubject = subjectId !== null && subject.isPending && subject.fetchStatus !== 'idle';

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Access exceptions</H1>
        <div className="filters">
          <Select
            label="Status"
            size="small"
            allowDeselect={false}
            value={status ?? ALL}
            onChange={(value: string) => setStatus(EXCEPTION_STATUSES.find((s) => s === value))}
            className="filters__select"
          >
            <Option value={ALL}>All statuses</Option>
            {EXCEPTION_STATUSES.map((s) => (
              <Option key={s} value={s}>
                {s}
              </Option>
            ))}
          </Select>
        </div>
      </div>
      <Body>
        Access beyond what the rules give, for a limited time, approved by someone other than the requester
        and the recipient. You see {scopeText}.
      </Body>
      {done !== null && (
        <Banner variant="success" data-testid="exception-done">
          {done}
        </Banner>
      )}
      <ProblemNotice error={act.error} what="Couldn't do that" />
      {!formOpen && (
        <div>
          <Button
            variant="primary"
            onClick={() => {
              setDone(null);
              setFormOpen(true);
            }}
          >
            Request an exception
          </Button>
        </div>
      )}
      {formOpen && waitingForSubject && <Body aria-live="polite">Loading…</Body>}
      {formOpen && !waitingForSubject && (
        <ExceptionRequestForm
          me={me}
          subject={
            subject.data === undefined
              ? null
              : { id: subject.data.id, name: subject.data.name, email: subject.data.email }
          }
          onDone={onRequested}
          onCancel={() => setFormOpen(false)}
        />
      )}
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Banner variant="danger">Couldn't load exceptions: {errorMessage(pages.error)}</Banner>
      )}
      {pages.isSuccess && items.length === 0 && (
        <Body className="empty">No exceptions{status === undefined ? '' : ` with status ${status}`}.</Body>
      )}
      {items.length > 0 && <ExceptionsTable items={items} me={me} busy={act.isPending} onAct={onAct} />}
      <LoadMore pages={pages} />
    </main>
  );
}
