import { Button } from '@leafygreen-ui/button';
import { TextInput } from '@leafygreen-ui/text-input';
import { type FormEvent, useId, useState } from 'react';
import type { ApiTokenSummary } from '../../../../contract/api/tokens.ts';
import { displayStatus } from './queries.ts';

export type AdminAction = 'approve' | 'reject' | 'revoke';

interface AdminTokenActionsProps {
  token: ApiTokenSummary;
  /** This admin requested it: four eyes means someone else decides. */
  own: boolean;
  busy: boolean;
  onAct: (action: AdminAction, text: string) => void;
}

const PROMPT: Record<AdminAction, { label: string; button: string }> = {
  approve: { label: 'Approval note', button: 'Approve' },
  reject: { label: 'Why reject it?', button: 'Reject' },
  revoke: { label: 'Why revoke it?', button: 'Revoke' },
};

/** Approve / Reject a request (with a note), Revoke a token or request (with a reason). */
export function AdminTokenActions({ token, own, busy, onAct }: AdminTokenActionsProps) {
  const [open, setOpen] = useState<AdminAction | null>(null);
  const [text, setText] = useState('');
  const textId = useId();
  const status = displayStatus(token);
  const decidable = token.status === 'requested' && !own;
  const revocable = status === 'requested' || status === 'approved' || status === 'active';
  if (!decidable && !revocable) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (open !== null && text.trim() !== '') onAct(open, text.trim());
  };

  if (open !== null) {
    return (
      <form className="inline-form" onSubmit={submit}>
        <TextInput
          id={textId}
          label={PROMPT[open].label}
          sizeVariant="small"
          value={text}
          maxLength={1000}
          onChange={(change) => setText(change.target.value)}
        />
        <div className="inline-form__buttons">
          <Button
            type="submit"
            size="small"
            variant={open === 'approve' ? 'primary' : 'danger'}
            disabled={busy || text.trim() === ''}
          >
            {PROMPT[open].button}
          </Button>
          <Button size="small" onClick={() => setOpen(null)} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }
  return (
    <div className="inline-form__buttons">
      {decidable && (
        <>
          <Button size="small" variant="primary" onClick={() => setOpen('approve')}>
            Approve…
          </Button>
          <Button size="small" onClick={() => setOpen('reject')}>
            Reject…
          </Button>
        </>
      )}
      {token.status === 'requested' && own && <span className="muted">Another admin decides</span>}
      {revocable && (
        <Button size="small" variant="dangerOutline" onClick={() => setOpen('revoke')}>
          Revoke…
        </Button>
      )}
    </div>
  );
}
