import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type {
  AuditIntegrity,
  AuditVerification,
  AuditVerifyResult,
} from '../../../../contract/api/audit-integrity.ts';
import { api } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import './integrity.css';

const TRIGGERS: Record<AuditVerification['trigger'], string> = {
  job: 'the hourly job',
  cli: 'bi audit verify',
  admin: 'an admin',
};

/** What each problem kind means, in a sentence (docs/operations/audit.md has the incident steps). */
const KINDS: Record<NonNullable<AuditVerification['problemKind']>, string> = {
  hash_mismatch: 'an event was modified after it was written',
  broken_link: 'an event was deleted, inserted or reordered',
  checkpoint_signature_invalid: 'a checkpoint has a signature that does not verify with a trusted key',
  checkpoint_chain_broken: 'a signed checkpoint was removed',
  checkpoint_mismatch: 'the log was rewritten with recomputed hashes',
  truncated: 'the newest events were removed',
  archive_invalid: 'an archive record was changed',
};

function useIntegrity() {
  return useQuery({
    queryKey: ['audit', 'integrity'],
    queryFn: () => api.get<AuditIntegrity>('/api/v1/audit/integrity'),
    refetchInterval: 60_000,
  });
}

function useVerifyNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<AuditVerifyResult>('/api/v1/audit/verify', {}),
    // The run is recorded and audited: the status and the event list both change.
    onSettled: () => client.invalidateQueries({ queryKey: ['audit'] }),
  });
}

function StatusBadge({ verification }: { verification: AuditVerification | null }) {
  if (!verification) return <Badge variant="lightgray">Never verified</Badge>;
  if (verification.ok) return <Badge variant="green">Verified</Badge>;
  return <Badge variant="red">Broken at event {verification.problemSeq}</Badge>;
}

function Verdict({ verification }: { verification: AuditVerification | null }) {
  if (!verification)
    return <Body>The chain has not been verified yet. The audit-verify job runs every hour.</Body>;
  const by = TRIGGERS[verification.trigger];
  if (verification.ok)
    return (
      <Body>
        {verification.eventsChecked.toLocaleString()} events and {verification.checkpointsChecked} signed
        checkpoints verified {dateTime(verification.finishedAt)} (by {by}).
      </Body>
    );
  return (
    <Banner variant="danger" data-testid="integrity-broken">
      <strong>
        The audit log is broken at event {verification.problemSeq}
        {verification.problemKind ? `: ${KINDS[verification.problemKind]}` : ''}.
      </strong>{' '}
      {verification.message ? `${verification.message}. ` : ''}Found {dateTime(verification.finishedAt)} by{' '}
      {by}. Treat this as a security incident: do not change the audit tables (docs/operations/audit.md).
    </Banner>
  );
}

/** The export's query string: from/to as days; empty = open. */
function exportHref(from: string, to: string): string {
  const params = new URLSearchParams();
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  const query = params.toString();
  return `/api/v1/audit/export${query ? `?${query}` : ''}`;
}

function ExportForm() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const ids = { from: useId(), to: useId() };
  const invalid = from !== '' && to !== '' && from > to;
  return (
    <div className="integrity-export" data-testid="integrity-export">
      <div className="integrity-field">
        <label htmlFor={ids.from}>From</label>
        <input id={ids.from} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="integrity-field">
        <label htmlFor={ids.to}>To (including that day)</label>
        <input id={ids.to} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {invalid ? (
        <Body role="alert">"To" must not be before "From".</Body>
      ) : (
        <Button as="a" href={exportHref(from, to)} download data-testid="integrity-download">
          Download export (JSON Lines)
        </Button>
      )}
    </div>
  );
}

/**
 * The top of /admin/audit: whether the hash chain and its signed checkpoints verified, the head, the last
 * checkpoint, the signing key and retention; "Verify now"; and the OCSF JSON Lines export for a date range.
 */
export function IntegrityPanel() {
  const integrity = useIntegrity();
  const verify = useVerifyNow();
  const data = integrity.data;
  const verification = data?.latestVerification ?? null;
  const checkpoint = data?.lastCheckpoint ?? null;
  return (
    <Card className="integrity-card" data-testid="audit-integrity">
      <div className="integrity-head">
        <H3 as="h2">Integrity</H3>
        {data && <StatusBadge verification={verification} />}
      </div>
      {integrity.isPending && <Body aria-live="polite">Loading…</Body>}
      {integrity.isError && (
        <ProblemNotice error={integrity.error} what="Couldn't load the integrity status" />
      )}
      {data && (
        <>
          <Verdict verification={verification} />
          <dl className="facts">
            <dt>Head</dt>
            <dd data-testid="integrity-head">
              {data.head ? `event ${data.head.seq}, ${dateTime(data.head.occurredAt)}` : 'no events'}
            </dd>
            <dt>Last checkpoint</dt>
            <dd data-testid="integrity-checkpoint">
              {checkpoint
                ? `event ${checkpoint.seq}, signed ${dateTime(checkpoint.createdAt)} with key ${checkpoint.keyId}`
                : 'none yet'}{' '}
              ({data.checkpointCount} in all; the head is signed every {data.signing.checkpointMinutes}{' '}
              minutes when it moved)
            </dd>
            <dt>Signing key</dt>
            <dd>
              {data.signing.keyId ?? 'none yet'}; trusted for verification:{' '}
              {data.signing.trustedKeyIds.join(', ') || 'none'}
            </dd>
            <dt>Retention</dt>
            <dd>
              {data.retention.hotDays} days in the database; {data.retention.archives} archive segments (
              {data.retention.archivedEvents.toLocaleString()} events)
              {data.retention.prunedThroughSeq !== null &&
                `; events up to ${data.retention.prunedThroughSeq} are only in the archive files`}
            </dd>
          </dl>
        </>
      )}
      <div className="card-actions">
        <Button
          variant="primary"
          onClick={() => verify.mutate()}
          disabled={verify.isPending}
          data-testid="integrity-verify"
        >
          {verify.isPending ? 'Verifying…' : 'Verify now'}
        </Button>
        {verify.isSuccess && (
          <Body aria-live="polite" data-testid="integrity-verify-result">
            {verify.data.verification.ok
              ? `Verified just now: ${verify.data.verification.eventsChecked.toLocaleString()} events.`
              : `Broken at event ${verify.data.verification.problemSeq}.`}
          </Body>
        )}
      </div>
      {verify.isError && <ProblemNotice error={verify.error} what="Couldn't verify" />}
      <H3 as="h3" className="integrity-subhead">
        Export for a SIEM
      </H3>
      <Body>
        One OCSF event per line (JSON Lines), oldest first. The export is recorded in the audit log with its
        range and size.
      </Body>
      <ExportForm />
    </Card>
  );
}
