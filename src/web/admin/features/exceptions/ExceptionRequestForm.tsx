import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { type FormEvent, useId, useState } from 'react';
import { type AccessException, EXCEPTION_MAX_DAYS } from '../../../../contract/api/access.ts';
import type { Me } from '../../../../contract/api/me.ts';
import {
  atLeast,
  ROLE_LABEL,
  ROLES,
  type Role,
  SCOPE_KIND_LABEL,
  SCOPE_KINDS,
  type ScopeKind,
} from '../../../../contract/roles.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { PersonPicker, type PickedPerson } from '../org/PersonPicker.tsx';
import { dayOffset, expiryMoment } from './expiry.ts';
import { useRequestException } from './queries.ts';

const JUSTIFICATION_MIN = 20;
const TARGET_HELP: Partial<Record<ScopeKind, { label: string; hint: string }>> = {
  team: { label: 'Team', hint: "A team name, e.g. emea. Empty: the subject's own team." },
  tree: { label: 'Reporting tree of', hint: "Whose reporting tree. Empty: the subject's own." },
  org_unit: { label: 'Org unit (department)', hint: "A department. Empty: the subject's own department." },
};

interface ExceptionRequestFormProps {
  me: Me;
  subject: PickedPerson | null;
  onDone: (created: AccessException) => void;
  onCancel: () => void;
}

/** Ask for time-bound access: who, which role and scope, why, until when. Someone else approves it. */
export function ExceptionRequestForm({ me, subject: initial, onDone, onCancel }: ExceptionRequestFormProps) {
  const self: PickedPerson = { id: me.person.id, name: me.person.name, email: me.person.email };
  const mayPick = atLeast(me.role, 'manager');
  const [subject, setSubject] = useState<PickedPerson[]>([initial ?? self]);
  const [role, setRole] = useState<Role>('viewer');
  const [scopeKind, setScopeKind] = useState<ScopeKind>('team');
  const [target, setTarget] = useState('');
  const [treeOf, setTreeOf] = useState<PickedPerson[]>([]);
  const [justification, setJustification] = useState('');
  const [day, setDay] = useState(dayOffset(30));
  const [problems, setProblems] = useState<string[]>([]);
  const request = useRequestException();
  const ids = { target: useId(), day: useId() };
  const forOther = subject[0] !== undefined && subject[0].id !== me.person.id;
  const adminBlocked = me.role !== 'admin' && forOther;
  const help = TARGET_HELP[scopeKind];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: string[] = [];
    const who = subject[0];
    if (who === undefined) found.push('Choose who receives the access.');
    if (role === 'admin' && adminBlocked) found.push('Only an admin asks for admin access for someone else.');
    if (justification.trim().length < JUSTIFICATION_MIN)
      found.push(`Justification: at least ${JUSTIFICATION_MIN} characters — say why the access is needed.`);
    const expires = expiryMoment(day);
    if (expires === null) found.push(`Expiry: a day from tomorrow to ${EXCEPTION_MAX_DAYS} days ahead.`);
    setProblems(found);
    if (found.length > 0 || who === undefined || expires === null) return;
    const scopeTarget =
      scopeKind === 'tree' ? (treeOf[0]?.id ?? null) : help === undefined ? null : target.trim() || null;
    request.mutate(
      {
        subjectId: who.id,
        role,
        scopeKind,
        scopeTarget,
        justification: justification.trim(),
        expiresAt: expires.toISOString(),
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form className="token-form" onSubmit={submit} noValidate data-testid="exception-form">
      {mayPick ? (
        <PersonPicker
          label="Who receives the access"
          picked={subject}
          onChange={setSubject}
          testId="subject-picker"
        />
      ) : (
        <p>
          For: <strong>{me.person.name}</strong>{' '}
          <span className="muted">
            (you can ask for yourself; a manager or an admin asks for someone else)
          </span>
        </p>
      )}
      <div className="form-row">
        <Select
          label="Role"
          allowDeselect={false}
          value={role}
          onChange={(value: string) => setRole(ROLES.find((r) => r === value) ?? 'viewer')}
        >
          {ROLES.map((r) => (
            <Option key={r} value={r} disabled={r === 'admin' && adminBlocked}>
              {`${ROLE_LABEL[r]}${r === 'admin' && adminBlocked ? ' (admins only)' : ''}`}
            </Option>
          ))}
        </Select>
        <Select
          label="Scope"
          allowDeselect={false}
          value={scopeKind}
          onChange={(value: string) => setScopeKind(SCOPE_KINDS.find((k) => k === value) ?? 'team')}
        >
          {SCOPE_KINDS.map((k) => (
            <Option key={k} value={k}>
              {SCOPE_KIND_LABEL[k]}
            </Option>
          ))}
        </Select>
      </div>
      {scopeKind === 'tree' && mayPick && (
        <PersonPicker
          label="Reporting tree of"
          description={TARGET_HELP.tree?.hint}
          picked={treeOf}
          onChange={setTreeOf}
        />
      )}
      {scopeKind === 'tree' && !mayPick && <p className="muted">Your own reporting tree.</p>}
      {help !== undefined && scopeKind !== 'tree' && (
        <TextInput
          id={ids.target}
          label={help.label}
          description={help.hint}
          value={target}
          maxLength={200}
          onChange={(change) => setTarget(change.target.value)}
        />
      )}
      <label className="textarea-field">
        <span className="textarea-field__label">Justification</span>
        <span className="muted">
          Why the access is needed ({JUSTIFICATION_MIN}–1000 characters). The approver reads it.
        </span>
        <textarea
          name="justification"
          rows={3}
          maxLength={1000}
          value={justification}
          onChange={(change) => setJustification(change.target.value)}
        />
      </label>
      <label className="textarea-field" htmlFor={ids.day}>
        <span className="textarea-field__label">Expires on</span>
        <span className="muted">
          At most {EXCEPTION_MAX_DAYS} days ahead. The access ends at 00:00 that day, your time.
        </span>
      </label>
      <input
        id={ids.day}
        type="date"
        className="date-input"
        value={day}
        min={dayOffset(1)}
        max={dayOffset(EXCEPTION_MAX_DAYS)}
        onChange={(change) => setDay(change.target.value)}
      />
      {problems.length > 0 && (
        <ul role="alert" className="form-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <ProblemNotice error={request.error} what="Couldn't request the exception" />
      <div className="inline-form__buttons">
        <Button type="submit" variant="primary" disabled={request.isPending} isLoading={request.isPending}>
          Request exception
        </Button>
        <Button onClick={onCancel} disabled={request.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
