import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  type Attestation,
  GATE_STATUSES,
  type GateResult,
  type GateStatus,
} from '../../../../contract/api/readiness.ts';
import { ApiError } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { hasSessionDraft, stringRecord, useSessionState, writeDraft } from '../../sessionState.ts';
import { useAttest, useWithdraw } from './queries.ts';
import {
  ATTESTATION_MAX_DAYS,
  dayOffset,
  expiryMoment,
  isHttpUrl,
  localDay,
  STATUS_LABEL,
} from './readinessModel.ts';

/** The draft of a gate's attestation form survives the round trip through "Verify it's you". */
export const attestDraftKey = (gateId: string) => `readiness.attest.${gateId}`;

const FIELDS = ['status', 'owner', 'evidenceUrl', 'note', 'day', 'version'] as const;
type Draft = Record<(typeof FIELDS)[number], string>;
const isDraft = stringRecord(...FIELDS);

function initialDraft(gate: GateResult, attestation: Attestation | undefined): Draft {
  const expires = attestation === undefined ? null : new Date(attestation.expiresAt);
  return {
    status: attestation?.status ?? 'pass',
    owner: attestation?.owner ?? gate.owner ?? '',
    evidenceUrl: attestation?.evidenceUrl ?? gate.evidenceUrl ?? '',
    note: attestation?.note ?? '',
    day: expires !== null && expires.getTime() > Date.now() ? localDay(expires) : dayOffset(90),
    version: attestation === undefined ? '' : String(attestation.version),
  };
}

const isConflict = (error: unknown) => error instanceof ApiError && error.status === 409;

function AttestForm({
  gate,
  attestation,
  onClose,
  onReload,
}: {
  gate: GateResult;
  attestation: Attestation | undefined;
  onClose: () => void;
  onReload: () => Promise<void>;
}) {
  const key = attestDraftKey(gate.id);
  const [draft, setDraft, clear] = useSessionState<Draft>(key, initialDraft(gate, attestation), isDraft);
  const [problems, setProblems] = useState<string[]>([]);
  const attest = useAttest();
  const ids = { owner: useId(), url: useId(), day: useId() };
  const set = (field: keyof Draft) => (value: string) => setDraft({ ...draft, [field]: value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: string[] = [];
    if (draft.owner.trim() === '') found.push('Owner: who is accountable for this gate.');
    if (!isHttpUrl(draft.evidenceUrl.trim())) found.push('Evidence URL: an http(s) link to the evidence.');
    const expires = expiryMoment(draft.day);
    if (expires === null) found.push(`Expires: a day from tomorrow to ${ATTESTATION_MAX_DAYS} days ahead.`);
    setProblems(found);
    const status = GATE_STATUSES.find((s) => s === draft.status);
    if (found.length > 0 || expires === null || status === undefined) return;
    const note = draft.note.trim();
    attest.mutate(
      {
        gateId: gate.id,
        body: {
          status,
          owner: draft.owner.trim(),
          evidenceUrl: draft.evidenceUrl.trim(),
          ...(note === '' ? {} : { note }),
          expiresAt: expires.toISOString(),
          ...(draft.version === '' ? {} : { version: Number(draft.version) }),
        },
      },
      {
        onSuccess: () => {
          clear();
          writeDraft(key, undefined);
          onClose();
        },
      },
    );
  };

  return (
    <form
      className="attest-form"
      onSubmit={submit}
      noValidate
      data-testid="attest-form"
      aria-label={`Attest ${gate.title}`}
    >
      <div className="form-row">
        <Select
          label="Status"
          allowDeselect={false}
          value={draft.status}
          onChange={(value: string) => set('status')(value)}
        >
          {GATE_STATUSES.map((s: GateStatus) => (
            <Option key={s} value={s}>
              {STATUS_LABEL[s]}
            </Option>
          ))}
        </Select>
        <TextInput
          id={ids.owner}
          label="Owner"
          description="Who is accountable for this gate"
          value={draft.owner}
          maxLength={200}
          onChange={(change) => set('owner')(change.target.value)}
        />
      </div>
      <TextInput
        id={ids.url}
        label="Evidence URL"
        description="A link to the evidence (runbook, ticket, document)"
        type="url"
        value={draft.evidenceUrl}
        maxLength={2000}
        onChange={(change) => set('evidenceUrl')(change.target.value)}
      />
      <label className="textarea-field">
        <span className="textarea-field__label">Note (optional)</span>
        <textarea
          name="note"
          rows={2}
          maxLength={2000}
          value={draft.note}
          onChange={(change) => set('note')(change.target.value)}
        />
      </label>
      <label className="textarea-field" htmlFor={ids.day}>
        <span className="textarea-field__label">Expires on</span>
        <span className="muted">
          At most {ATTESTATION_MAX_DAYS} days ahead; the gate needs a new attestation after that day.
        </span>
      </label>
      <input
        id={ids.day}
        name="expires"
        type="date"
        className="date-input"
        value={draft.day}
        min={dayOffset(1)}
        max={dayOffset(ATTESTATION_MAX_DAYS)}
        onChange={(change) => set('day')(change.target.value)}
      />
      {problems.length > 0 && (
        <ul role="alert" className="form-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {isConflict(attest.error) ? (
        <Banner variant="warning" data-testid="attest-conflict">
          Someone changed this attestation since you opened the form. Reload to see the current one, then
          attest again.{' '}
          <Button
            size="xsmall"
            onClick={() => {
              clear();
              writeDraft(key, undefined);
              void onReload();
            }}
          >
            Reload
          </Button>
        </Banner>
      ) : (
        <ProblemNotice error={attest.error} what="Couldn't save the attestation" />
      )}
      <div className="inline-form__buttons">
        <Button type="submit" variant="primary" disabled={attest.isPending} isLoading={attest.isPending}>
          Save attestation
        </Button>
        <Button
          onClick={() => {
            clear();
            writeDraft(key, undefined);
            onClose();
          }}
          disabled={attest.isPending}
        >
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** "Attest…" and "Withdraw" for a manual gate (admins; the server asks for a fresh MFA step-up). */
export function AttestationControls({
  gate,
  attestation,
}: {
  gate: GateResult;
  attestation: Attestation | undefined;
}) {
  const client = useQueryClient();
  const [formOpen, setFormOpen] = useState(() => hasSessionDraft(attestDraftKey(gate.id)));
  const [formKey, setFormKey] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const withdraw = useWithdraw();

  const reload = async () => {
    await Promise.all([
      client.refetchQueries({ queryKey: ['readiness', 'attestations'] }),
      client.refetchQueries({ queryKey: ['readiness', 'report'] }),
    ]);
    setFormKey((k) => k + 1);
  };

  if (formOpen)
    return (
      <AttestForm
        key={formKey}
        gate={gate}
        attestation={attestation}
        onClose={() => setFormOpen(false)}
        onReload={reload}
      />
    );
  return (
    <div className="gate-actions">
      <div className="inline-form__buttons">
        <Button size="small" variant="primary" onClick={() => setFormOpen(true)}>
          Attest…
        </Button>
        {attestation !== undefined && !confirming && (
          <Button size="small" variant="dangerOutline" onClick={() => setConfirming(true)}>
            Withdraw
          </Button>
        )}
      </div>
      {confirming && (
        <div className="inline-form" data-testid="withdraw-confirm">
          <span>
            Withdraw this attestation? The gate is evaluated as not attested until someone attests again.
          </span>
          <div className="inline-form__buttons">
            <Button
              size="small"
              variant="danger"
              disabled={withdraw.isPending}
              onClick={() =>
                attestation !== undefined &&
                withdraw.mutate(
                  { gateId: gate.id, version: attestation.version },
                  { onSuccess: () => setConfirming(false) },
                )
              }
            >
              Withdraw attestation
            </Button>
            <Button size="small" onClick={() => setConfirming(false)} disabled={withdraw.isPending}>
              Cancel
            </Button>
          </div>
        </div>
      )}
      {isConflict(withdraw.error) ? (
        <Banner variant="warning" data-testid="withdraw-conflict">
          Someone changed this attestation since you loaded the page. Look at the current one (it has
          reloaded), then decide again.
        </Banner>
      ) : (
        <ProblemNotice error={withdraw.error} what="Couldn't withdraw the attestation" />
      )}
    </div>
  );
}
