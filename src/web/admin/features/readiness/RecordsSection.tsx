import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type FormEvent, useId, useState } from 'react';
import {
  DEPLOY_ENVIRONMENTS,
  type DeployEnvironment,
  RECORD_KINDS,
  type ReadinessRecord,
  type RecordKind,
} from '../../../../contract/api/readiness.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { hasSessionDraft, stringRecord, useSessionState, writeDraft } from '../../sessionState.ts';
import { useRecordOperation, useRecords } from './queries.ts';
import { isHttpUrl, localDateTime, RECORD_KIND_LABEL } from './readinessModel.ts';

const DRAFT_KEY = 'readiness.record';
const FIELDS = ['kind', 'environment', 'outcome', 'performedAt', 'evidenceUrl', 'notes'] as const;
type Draft = Record<(typeof FIELDS)[number], string>;
const isDraft = stringRecord(...FIELDS);

function RecordForm({
  kind,
  environment,
  onDone,
  onCancel,
}: {
  kind: RecordKind;
  environment: DeployEnvironment;
  onDone: (record: ReadinessRecord) => void;
  onCancel: () => void;
}) {
  const [initial] = useState<Draft>(() => ({
    kind,
    environment,
    outcome: 'passed',
    performedAt: localDateTime(new Date()),
    evidenceUrl: '',
    notes: '',
  }));
  const [draft, setDraft, clear] = useSessionState<Draft>(DRAFT_KEY, initial, isDraft);
  const [problems, setProblems] = useState<string[]>([]);
  const record = useRecordOperation();
  const ids = { when: useId(), url: useId() };
  const set = (field: keyof Draft) => (value: string) => setDraft({ ...draft, [field]: value });
  const draftKind = RECORD_KINDS.find((k) => k === draft.kind) ?? kind;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: string[] = [];
    const when = new Date(draft.performedAt);
    if (Number.isNaN(when.getTime())) found.push('When: the date and time it was done.');
    else if (when.getTime() > Date.now() + 60_000) found.push('When: not in the future.');
    const url = draft.evidenceUrl.trim();
    if (url !== '' && !isHttpUrl(url)) found.push('Evidence URL: an http(s) link, or leave it empty.');
    setProblems(found);
    const env = DEPLOY_ENVIRONMENTS.find((e) => e === draft.environment);
    if (found.length > 0 || env === undefined) return;
    const notes = draft.notes.trim();
    record.mutate(
      {
        kind: draftKind,
        environment: env,
        outcome: draft.outcome === 'failed' ? 'failed' : 'passed',
        performedAt: new Date(Math.min(when.getTime(), Date.now())).toISOString(),
        ...(url === '' ? {} : { evidenceUrl: url }),
        ...(notes === '' ? {} : { notes }),
      },
      {
        onSuccess: (created) => {
          clear();
          writeDraft(DRAFT_KEY, undefined);
          onDone(created);
        },
      },
    );
  };

  return (
    <form
      className="token-form"
      onSubmit={submit}
      noValidate
      data-testid="record-form"
      aria-label={`Record a ${RECORD_KIND_LABEL[draftKind].toLowerCase()}`}
    >
      <Body weight="medium">Record a {RECORD_KIND_LABEL[draftKind].toLowerCase()}</Body>
      <div className="form-row">
        <Select
          label="Environment"
          allowDeselect={false}
          value={draft.environment}
          onChange={(value: string) => set('environment')(value)}
        >
          {DEPLOY_ENVIRONMENTS.map((e) => (
            <Option key={e} value={e}>
              {e}
            </Option>
          ))}
        </Select>
        <Select
          label="Outcome"
          allowDeselect={false}
          value={draft.outcome}
          onChange={(value: string) => set('outcome')(value)}
        >
          <Option value="passed">Passed</Option>
          <Option value="failed">Failed</Option>
        </Select>
      </div>
      <label className="textarea-field" htmlFor={ids.when}>
        <span className="textarea-field__label">When it was done</span>
        <span className="muted">Your local time; not in the future.</span>
      </label>
      <input
        id={ids.when}
        name="performedAt"
        type="datetime-local"
        className="date-input"
        value={draft.performedAt}
        max={localDateTime(new Date())}
        onChange={(change) => set('performedAt')(change.target.value)}
      />
      <TextInput
        id={ids.url}
        label="Evidence URL (optional)"
        type="url"
        value={draft.evidenceUrl}
        maxLength={2000}
        onChange={(change) => set('evidenceUrl')(change.target.value)}
      />
      <label className="textarea-field">
        <span className="textarea-field__label">Notes (optional)</span>
        <textarea
          name="notes"
          rows={2}
          maxLength={2000}
          value={draft.notes}
          onChange={(change) => set('notes')(change.target.value)}
        />
      </label>
      {problems.length > 0 && (
        <ul role="alert" className="form-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <ProblemNotice error={record.error} what="Couldn't record it" />
      <div className="inline-form__buttons">
        <Button type="submit" variant="primary" disabled={record.isPending} isLoading={record.isPending}>
          Save record
        </Button>
        <Button
          onClick={() => {
            clear();
            writeDraft(DRAFT_KEY, undefined);
            onCancel();
          }}
          disabled={record.isPending}
        >
          Cancel
        </Button>
      </div>
    </form>
  );
}

function RecordsTable({ items }: { items: ReadinessRecord[] }) {
  return (
    <div className="table-scroll">
      <table className="gate-table" aria-label="Operational records" data-testid="records-table">
        <thead>
          <tr>
            {['Kind', 'Environment', 'Outcome', 'When', 'By', 'Evidence'].map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-testid="record-row" data-kind={r.kind} data-outcome={r.outcome}>
              <td>{RECORD_KIND_LABEL[r.kind]}</td>
              <td>{r.environment}</td>
              <td>
                <Badge variant={r.outcome === 'passed' ? 'green' : 'red'}>
                  {r.outcome === 'passed' ? 'Passed' : 'Failed'}
                </Badge>
              </td>
              <td className="nowrap">
                <time dateTime={r.performedAt}>{dateTime(r.performedAt)}</time>
              </td>
              <td>
                {r.recordedBy?.name ?? <span className="muted">unknown</span>}
                <div className="muted">{r.source === 'cli' ? 'bi readiness' : 'admin page / API'}</div>
              </td>
              <td>
                {r.evidenceUrl !== null && (
                  <a href={r.evidenceUrl} target="_blank" rel="noopener noreferrer">
                    Evidence
                  </a>
                )}
                {r.notes !== null && <div className="cell-text">{r.notes}</div>}
                {r.evidenceUrl === null && r.notes === null && <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Deployment verifications and rollback drills: what the deployment-operations gates read. */
export function RecordsSection({
  isAdmin,
  environment,
}: {
  isAdmin: boolean;
  environment: DeployEnvironment;
}) {
  const records = useRecords();
  const [formKind, setFormKind] = useState<RecordKind | null>(() =>
    isAdmin && hasSessionDraft(DRAFT_KEY) ? 'deployment_verification' : null,
  );
  const [done, setDone] = useState<string | null>(null);
  const items = records.data?.items ?? [];
  const open = (kind: RecordKind) => {
    setDone(null);
    setFormKind(kind);
  };
  return (
    <section className="readiness-section" aria-labelledby="readiness-records" data-testid="records-section">
      <H2 id="readiness-records" className="section-title">
        Operational records
      </H2>
      <Body>
        Deployment verifications and rollback drills, newest first. The deployment-operations gates read the
        latest of each.
      </Body>
      {done !== null && (
        <Banner variant="success" data-testid="record-done">
          {done}
        </Banner>
      )}
      {isAdmin && formKind === null && (
        <div className="inline-form__buttons">
          <Button onClick={() => open('deployment_verification')}>Record a deployment verification…</Button>
          <Button onClick={() => open('rollback_drill')}>Record a rollback drill…</Button>
        </div>
      )}
      {isAdmin && formKind !== null && (
        <RecordForm
          kind={formKind}
          environment={environment}
          onCancel={() => setFormKind(null)}
          onDone={(created) => {
            setFormKind(null);
            setDone(`Recorded a ${RECORD_KIND_LABEL[created.kind].toLowerCase()} (${created.environment}).`);
          }}
        />
      )}
      {records.isPending && <Body aria-live="polite">Loading…</Body>}
      {records.isError && <ProblemNotice error={records.error} what="Couldn't load the records" />}
      {records.isSuccess && items.length === 0 && <Body className="empty">Nothing recorded yet.</Body>}
      {items.length > 0 && <RecordsTable items={items} />}
    </section>
  );
}
