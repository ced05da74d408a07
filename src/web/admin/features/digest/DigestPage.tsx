import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H1, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useDigestPreview, useDigestRuns, useDigestSettings, useSendDigest } from './queries.ts';
import { SlackBlocks } from './SlackBlocks.tsx';
import './digest.css';

/**
 * /admin/digest (managers and admins): last week's Slack digest in your scope, exactly as "Send now" would post
 * it, the schedule, and the recent runs. The scheduled digest covers the whole organisation.
 */
export function DigestPage() {
  const settings = useDigestSettings();
  const preview = useDigestPreview();
  const runs = useDigestRuns();
  const send = useSendDigest();
  const [confirming, setConfirming] = useState(false);
  const configured = settings.data?.configured === true;

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Slack digest</H1>
      </div>
      {settings.data && (
        <Body>
          {settings.data.schedule.description}{' '}
          {configured
            ? 'A Slack channel is configured.'
            : 'No Slack channel is configured, so nothing is posted.'}
        </Body>
      )}
      {settings.isError && (
        <Banner variant="danger">Couldn't load the settings: {errorMessage(settings.error)}</Banner>
      )}

      <Card className="digest-card">
        <H3>Preview{preview.data ? `: ${preview.data.period.label}` : ''}</H3>
        {preview.data && (
          <Body className="muted">
            Counted in your scope ({preview.data.scopeLabel}). "Send now" posts exactly this to the team
            channel.
          </Body>
        )}
        {preview.isPending && <Body aria-live="polite">Loading…</Body>}
        {preview.isError && (
          <Banner variant="danger">Couldn't build the preview: {errorMessage(preview.error)}</Banner>
        )}
        {preview.data && <SlackBlocks blocks={preview.data.blocks} />}
        {preview.data && (
          <details className="digest-raw">
            <summary>Raw Block Kit JSON</summary>
            <pre>{JSON.stringify({ text: preview.data.text, blocks: preview.data.blocks }, null, 2)}</pre>
          </details>
        )}
        <div className="digest-send">
          {!confirming ? (
            <Button
              variant="primary"
              disabled={!configured || !preview.data || send.isPending}
              onClick={() => setConfirming(true)}
            >
              Send now
            </Button>
          ) : (
            <>
              <Body>Post this digest ({preview.data?.scopeLabel}) to the Slack channel now?</Body>
              <Button
                variant="primary"
                disabled={send.isPending}
                onClick={() => send.mutate(undefined, { onSettled: () => setConfirming(false) })}
              >
                Yes, send it
              </Button>
              <Button onClick={() => setConfirming(false)} disabled={send.isPending}>
                Cancel
              </Button>
            </>
          )}
          {!configured && settings.data && (
            <Body className="muted">
              Sending needs a Slack webhook; the platform team sets SLACK_DIGEST_WEBHOOK_URL.
            </Body>
          )}
          {send.isSuccess && (
            <Body role="status">
              Sent to Slack ({send.data.periodStart} to {send.data.periodEnd}).
            </Body>
          )}
          <ProblemNotice error={send.error} what="Couldn't send" />
        </div>
      </Card>

      <H3>Recent runs</H3>
      {runs.isError && <Banner variant="danger">Couldn't load the runs: {errorMessage(runs.error)}</Banner>}
      {runs.data && runs.data.items.length === 0 && (
        <Body className="empty">No digest has been sent yet.</Body>
      )}
      {runs.data && runs.data.items.length > 0 && (
        <Table aria-label="Recent digest runs" data-testid="digest-runs">
          <TableHead>
            <HeaderRow>
              <HeaderCell>When</HeaderCell>
              <HeaderCell>Trigger</HeaderCell>
              <HeaderCell>Week</HeaderCell>
              <HeaderCell>Status</HeaderCell>
              <HeaderCell>Slack answer</HeaderCell>
              <HeaderCell>By</HeaderCell>
            </HeaderRow>
          </TableHead>
          <TableBody>
            {runs.data.items.map((run) => (
              <Row key={run.id}>
                <Cell>{dateTime(run.createdAt)}</Cell>
                <Cell>{run.trigger === 'schedule' ? 'Schedule' : 'Send now'}</Cell>
                <Cell>
                  {run.periodStart} – {run.periodEnd}
                </Cell>
                <Cell>{run.status === 'failed' && run.error ? `failed (${run.error})` : run.status}</Cell>
                <Cell>{run.httpStatus ?? '—'}</Cell>
                <Cell>{run.by?.name ?? 'Schedule'}</Cell>
              </Row>
            ))}
          </TableBody>
        </Table>
      )}
    </main>
  );
}
