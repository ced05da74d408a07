import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useId, useState } from 'react';
import type { Me } from '../../../../contract/api/me.ts';
import { FORM_STATUSES } from '../../../../contract/program.ts';
import { atLeast } from '../../../../contract/roles.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { navigate } from '../../nav.ts';
import { CopyLink } from './CopyLink.tsx';
import { type FormStatus, responsesText, STATUS_BADGE, statusLabel } from './labels.ts';
import { useForms } from './queries.ts';

const isStatus = (value: string): value is FormStatus => FORM_STATUSES.some((s) => s.id === value);

/** /admin/forms: the forms the caller may see (their own; a manager's team's too), newest first. */
export function FormsList({ me }: { me: Me }) {
  const [status, setStatus] = useState<FormStatus | ''>('');
  const pages = useForms(status);
  const statusId = useId();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const showOwner = atLeast(me.role, 'manager');
  const columns = [
    'Form',
    'Status',
    'Event',
    'Responses',
    'Closes',
    ...(showOwner ? ['Owner'] : []),
    'Public link',
  ];

  return (
    <main className="admin-main forms-page">
      <div className="page-head">
        <H1>Feedback forms</H1>
        <Button variant="primary" onClick={() => navigate('/admin/forms/new')}>
          New form
        </Button>
      </div>
      <Body>
        A form is a public page (and its QR code) where attendees leave feedback without signing in. Every
        response becomes an insight you own, linked to the form's event.
      </Body>
      <div className="forms-field forms-filter">
        <label className="forms-field__label" htmlFor={statusId}>
          Status
        </label>
        <select
          id={statusId}
          className="forms-field__input"
          value={status}
          onChange={(change) => setStatus(isStatus(change.target.value) ? change.target.value : '')}
        >
          <option value="">All statuses</option>
          {FORM_STATUSES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && <Banner variant="danger">Couldn't load forms: {errorMessage(pages.error)}</Banner>}
      {pages.isSuccess && items.length === 0 && (
        <Body>
          {status === '' ? 'No forms yet. Start one with “New form”.' : 'No forms with this status.'}
        </Body>
      )}
      {items.length > 0 && (
        <div className="table-scroll">
          <Table aria-label="Feedback forms" data-testid="forms-table">
            <TableHead>
              <HeaderRow>
                {columns.map((column) => (
                  <HeaderCell key={column}>{column}</HeaderCell>
                ))}
              </HeaderRow>
            </TableHead>
            <TableBody>
              {items.map((form) => (
                <Row key={form.id} data-testid="form-row">
                  <Cell>
                    <AppLink to={`/admin/forms/${form.id}`}>
                      <strong>{form.title}</strong>
                    </AppLink>
                  </Cell>
                  <Cell>
                    <Badge variant={STATUS_BADGE[form.status]}>{statusLabel(form.status)}</Badge>
                    {form.status === 'open' && !form.accepting && <div className="muted">Not accepting</div>}
                  </Cell>
                  <Cell>
                    {form.event?.name ?? <span className="muted">None</span>}
                    {form.session !== null && <div className="muted">{form.session.title}</div>}
                  </Cell>
                  <Cell className="nowrap">{responsesText(form)}</Cell>
                  <Cell className="nowrap">
                    {form.closesAt === null ? (
                      <span className="muted">No date</span>
                    ) : (
                      dateTime(form.closesAt)
                    )}
                  </Cell>
                  {showOwner && <Cell>{form.owner.name}</Cell>}
                  <Cell>
                    <CopyLink url={form.publicUrl} label={`the public link of ${form.title}`} compact />
                  </Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <LoadMore pages={pages} />
    </main>
  );
}
