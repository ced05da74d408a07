import { Button } from '@leafygreen-ui/button';
import { TextInput } from '@leafygreen-ui/text-input';
import { type FormEvent, useId, useState } from 'react';
import {
  TOKEN_MAX_DAYS,
  TOKEN_NAME_MAX,
  TOKEN_PERSONAL_RATE_MAX,
  TOKEN_RATE_MAX,
  TOKEN_RATE_MIN,
  TOKEN_SCOPES,
  TOKEN_SCOPES_BY_ROLE,
  TOKEN_TEXT_MAX,
  type TokenCreate,
  type TokenScope,
} from '../../../../contract/api/tokens.ts';
import type { Role } from '../../../../contract/roles.ts';

const SCOPE_HELP: Record<TokenScope, string> = {
  'insights:read': 'read insights in your scope',
  'insights:write': 'capture insights as you',
  'events:read': 'read events and their sessions',
  'events:write': 'create and edit events and sessions you manage',
  'people:read': 'read people and their access in your scope (managers, admins)',
  'reporting:read': 'read the dashboard and executive report',
  'readiness:read': 'read the readiness verdict and its gates (a deployment pipeline gate)',
};

interface TokenFormProps {
  kind: 'personal' | 'service';
  role: Role;
  busy: boolean;
  /** The token fields, and for a service token the justification ('' for a personal one). */
  onSubmit: (body: TokenCreate, justification: string) => void;
  onCancel: () => void;
}

/** Name, scopes, lifetime (and for a service token, why): checked here before the server checks again. */
export function TokenForm({ kind, role, busy, onSubmit, onCancel }: TokenFormProps) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['insights:read']);
  const [days, setDays] = useState('30');
  const [rate, setRate] = useState('');
  const [justification, setJustification] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const service = kind === 'service';
  const rateMax = service ? TOKEN_RATE_MAX : TOKEN_PERSONAL_RATE_MAX;
  const allowed = TOKEN_SCOPES_BY_ROLE[role];
  const ids = { name: useId(), days: useId(), rate: useId() };

  const toggle = (scope: TokenScope) =>
    setScopes((current) =>
      current.includes(scope)
        ? current.filter((s) => s !== scope)
        : TOKEN_SCOPES.filter((s) => s === scope || current.includes(s)),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lifetime = Number(days);
    const found: string[] = [];
    if (name.trim() === '') found.push('Give the token a name that says what it is for.');
    if (scopes.length === 0) found.push('Choose at least one scope.');
    if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > TOKEN_MAX_DAYS)
      found.push(`Expiry must be a whole number of days from 1 to ${TOKEN_MAX_DAYS}.`);
    const perMinute = rate.trim() === '' ? null : Number(rate);
    if (
      perMinute !== null &&
      (!Number.isInteger(perMinute) || perMinute < TOKEN_RATE_MIN || perMinute > rateMax)
    )
      found.push(
        `Rate limit must be a whole number from ${TOKEN_RATE_MIN} to ${rateMax}, or empty for the default.`,
      );
    if (service && justification.trim() === '') found.push('Say what the service token is for.');
    setProblems(found);
    if (found.length > 0) return;
    onSubmit(
      { name: name.trim(), scopes, expiresInDays: lifetime, rateLimitPerMinute: perMinute },
      service ? justification.trim() : '',
    );
  };

  return (
    <form className="token-form" onSubmit={submit} noValidate data-testid={`${kind}-token-form`}>
      <TextInput
        id={ids.name}
        label="Name"
        description={service ? 'The system or job that will use it' : 'What you will use it for'}
        value={name}
        maxLength={TOKEN_NAME_MAX}
        onChange={(change) => setName(change.target.value)}
      />
      <fieldset className="checks">
        <legend>Scopes</legend>
        {TOKEN_SCOPES.map((scope) => {
          const beyondRole = !allowed.includes(scope);
          return (
            <label key={scope} className="check">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                checked={scopes.includes(scope)}
                disabled={beyondRole}
                onChange={() => toggle(scope)}
              />
              <code>{scope}</code>{' '}
              <span className="muted">{beyondRole ? 'not for your role' : SCOPE_HELP[scope]}</span>
            </label>
          );
        })}
      </fieldset>
      <TextInput
        id={ids.days}
        label="Expires after (days)"
        description={`1 to ${TOKEN_MAX_DAYS}${service ? ', counted from when you issue it' : ''}`}
        type="number"
        min={1}
        max={TOKEN_MAX_DAYS}
        value={days}
        onChange={(change) => setDays(change.target.value)}
        className="token-form__days"
      />
      <TextInput
        id={ids.rate}
        label="Rate limit (requests per minute, optional)"
        description={
          service
            ? `${TOKEN_RATE_MIN} to ${TOKEN_RATE_MAX} per operation, replacing the default; empty: the default budget`
            : `${TOKEN_RATE_MIN} to ${TOKEN_PERSONAL_RATE_MAX} per operation, never above the default; empty: the default budget`
        }
        type="number"
        min={TOKEN_RATE_MIN}
        max={rateMax}
        value={rate}
        onChange={(change) => setRate(change.target.value)}
        className="token-form__days"
      />
      {service && (
        <label className="textarea-field">
          <span className="textarea-field__label">Justification</span>
          <span className="muted">An admin other than you reads this before approving.</span>
          <textarea
            name="justification"
            rows={3}
            maxLength={TOKEN_TEXT_MAX}
            value={justification}
            onChange={(change) => setJustification(change.target.value)}
          />
        </label>
      )}
      {problems.length > 0 && (
        <ul role="alert" className="form-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="inline-form__buttons">
        <Button type="submit" variant="primary" disabled={busy} isLoading={busy} loadingText="Sending…">
          {service ? 'Request service token' : 'Create token'}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
