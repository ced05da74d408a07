import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FeedbackForm } from '../../../../contract/api/forms.ts';
import { ApiError, errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate } from '../../nav.ts';
import { CopyLink } from './CopyLink.tsx';
import {
  closedText,
  type FormStatus,
  responsesText,
  STATUS_BADGE,
  statusLabel,
  templateLabel,
} from './labels.ts';
import { formPath, useDeleteForm, useForm, useUpdateForm } from './queries.ts';
import { ResponsesTable } from './ResponsesTable.tsx';

/** /admin/forms/<id>: the form's state, its QR code and link, its responses; open, close, edit, delete. */
export function FormDetail({ id }: { id: string }) {
  const form = useForm(id);
  return (
    <main className="admin-main forms-page">
      <div>
        <AppLink to="/admin/forms">← All forms</AppLink>
      </div>
      {form.isPending && <Body aria-live="polite">Loading…</Body>}
      {form.isError && (
        <Banner variant="danger">
          {form.error instanceof ApiError && form.error.status === 404
            ? 'There is no such form, or it is not yours to see.'
            : `Couldn't load the form: ${errorMessage(form.error)}`}
        </Banner>
      )}
      {form.data !== undefined && <Loaded form={form.data} />}
    </main>
  );
}

function Loaded({ form }: { form: FeedbackForm }) {
  const reason = closedText(form);
  const qr = `${formPath(form.id)}/qr`;
  return (
    <>
      <div className="page-head">
        <div>
          <H1>{form.title}</H1>
          <div className="badges" data-testid="form-status">
            <Badge variant={STATUS_BADGE[form.status]}>{statusLabel(form.status)}</Badge>
            {form.accepting && <Badge variant="green">Accepting answers</Badge>}
          </div>
        </div>
        {form.canManage && <Actions form={form} />}
      </div>
      {reason !== null && <Body data-testid="form-closed-reason">{reason}</Body>}
      <div className="forms-detail">
        <dl className="facts">
          <dt>Public link</dt>
          <dd>
            <CopyLink url={form.publicUrl} label="the public link" />
          </dd>
          <dt>Event</dt>
          <dd>
            {form.event === null ? 'None' : form.event.name}
            {form.session !== null && ` · ${form.session.title}`}
          </dd>
          <dt>Responses</dt>
          <dd data-testid="form-responses-count">{responsesText(form)}</dd>
          <dt>Closes</dt>
          <dd>{form.closesAt === null ? 'No closing date' : dateTime(form.closesAt)}</dd>
          <dt>Owner</dt>
          <dd>{form.owner.name}</dd>
          <dt>Template</dt>
          <dd>{templateLabel(form.template)}</dd>
          <dt>Questions</dt>
          <dd>{form.questions.map((q) => q.label).join(' · ')}</dd>
          <dt>Updated</dt>
          <dd>{dateTime(form.updatedAt)}</dd>
        </dl>
        <figure className="forms-qr">
          <img
            src={`${qr}.svg`}
            width={200}
            height={200}
            alt={`QR code of the public link ${form.publicUrl}`}
            data-testid="form-qr"
          />
          <figcaption>
            Download the QR code:{' '}
            <a href={`${qr}.png`} download={`${form.slug}-qr.png`}>
              PNG
            </a>{' '}
            ·{' '}
            <a href={`${qr}.svg`} download={`${form.slug}-qr.svg`}>
              SVG
            </a>
          </figcaption>
        </figure>
      </div>
      <section aria-labelledby="responses-heading">
        <H2 id="responses-heading" className="section-title">
          Responses
        </H2>
        <ResponsesTable form={form} />
      </section>
    </>
  );
}

/** Open / Close (with the version read, so a concurrent change is refused), Edit, and Delete while unused. */
function Actions({ form }: { form: FeedbackForm }) {
  const update = useUpdateForm();
  const remove = useDeleteForm();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const conflict = update.error instanceof ApiError && update.error.status === 409;
  const setStatus = (status: FormStatus) =>
    update.mutate({ id: form.id, body: { status, version: form.version } });
  const reload = () => {
    update.reset();
    void client.invalidateQueries({ queryKey: ['forms', 'one', form.id] });
  };
  const busy = update.isPending || remove.isPending;
  return (
    <div className="forms-actions">
      <div className="inline-form__buttons">
        {form.status === 'open' ? (
          <Button onClick={() => setStatus('closed')} disabled={busy}>
            Close form
          </Button>
        ) : (
          <Button variant="primary" onClick={() => setStatus('open')} disabled={busy}>
            Open form
          </Button>
        )}
        <Button onClick={() => navigate(`/admin/forms/${form.id}/edit`)} disabled={busy}>
          Edit
        </Button>
        {form.responseCount === 0 && !confirming && (
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={busy}>
            Delete
          </Button>
        )}
      </div>
      {confirming && (
        <Banner variant="warning">
          Delete “{form.title}”? Its public link and QR code stop working.{' '}
          <Button
            size="xsmall"
            variant="danger"
            disabled={busy}
            onClick={() => remove.mutate(form.id, { onSuccess: () => navigate('/admin/forms') })}
          >
            Delete the form
          </Button>{' '}
          <Button size="xsmall" onClick={() => setConfirming(false)} disabled={busy}>
            Keep it
          </Button>
        </Banner>
      )}
      {conflict ? (
        <Banner variant="warning" data-testid="form-conflict">
          Someone else changed this form; nothing was changed.{' '}
          <Button size="xsmall" onClick={reload}>
            Reload
          </Button>
        </Banner>
      ) : (
        <ProblemNotice error={update.error} what="Couldn't change the form" />
      )}
      <ProblemNotice error={remove.error} what="Couldn't delete the form" />
    </div>
  );
}
