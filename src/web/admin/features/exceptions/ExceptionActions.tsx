import { Button } from '@leafygreen-ui/button';
import { TextInput } from '@leafygreen-ui/text-input';
import { type FormEvent, useId, useState } from 'react';
import type { AccessException } from '../../../../contract/api/access.ts';
import type { Me } from '../../../../contract/api/me.ts';
import type { ExceptionAction } from './queries.ts';

const PROMPT: Record<ExceptionAction, { label: string; button: string; min: number }> = {
  approve: { label: 'Approval note (optional)', button: 'Approve', min: 0 },
  reject: { label: 'Why reject it?', button: 'Reject', min: 1 },
  revoke: { label: 'Why end it now?', button: 'Revoke', min: 3 },
};

/**
 * What this person may do with an exception, as the server's policy says (`allowed`); where nothing is allowed,
 * say who can.
 */
export function allowedActions(
  e: AccessException,
  me: Me,
): { actions: ExceptionAction[]; why: string | null } {
  const mine = me.person.id;
  if (e.status === 'requested') {
    if (e.allowed.decide) return { actions: ['approve', 'reject'], why: null };
    if (e.requestedBy.id === mine) return { actions: [], why: 'You asked for it: someone else decides.' };
    if (e.subject.id === mine) return { actions: [], why: 'It is for you: someone else decides.' };
    return {
      actions: [],
      why: `An admin${e.role === 'admin' ? '' : ` or ${e.subject.name}'s manager`} decides.`,
    };
  }
  if (e.status === 'active') {
    if (e.allowed.revoke) return { actions: ['revoke'], why: null };
    return { actions: [], why: `An admin, its approver or ${e.subject.name}'s manager can end it early.` };
  }
  return { actions: [], why: null };
}

interface ExceptionActionsProps {
  exception: AccessException;
  me: Me;
  busy: boolean;
  onAct: (action: ExceptionAction, text: string) => void;
}

export function ExceptionActions({ exception, me, busy, onAct }: ExceptionActionsProps) {
  const [open, setOpen] = useState<ExceptionAction | null>(null);
  const [text, setText] = useState('');
  const textId = useId();
  const { actions, why } = allowedActions(exception, me);
  if (actions.length === 0) return why === null ? null : <span className="muted">{why}</span>;

  if (open !== null) {
    const prompt = PROMPT[open];
    const submit = (event: FormEvent) => {
      event.preventDefault();
      if (text.trim().length >= prompt.min) onAct(open, text.trim());
    };
    return (
      <form className="inline-form" onSubmit={submit}>
        <TextInput
          id={textId}
          label={prompt.label}
          sizeVariant="small"
          value={text}
          maxLength={500}
          onChange={(change) => setText(change.target.value)}
        />
        <div className="inline-form__buttons">
          <Button
            type="submit"
            size="small"
            variant={open === 'approve' ? 'primary' : 'danger'}
            disabled={busy || text.trim().length < prompt.min}
          >
            {prompt.button}
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
      {actions.includes('approve') && (
        <Button size="small" variant="primary" onClick={() => setOpen('approve')}>
          Approve…
        </Button>
      )}
      {actions.includes('reject') && (
        <Button size="small" onClick={() => setOpen('reject')}>
          Reject…
        </Button>
      )}
      {actions.includes('revoke') && (
        <Button size="small" variant="dangerOutline" onClick={() => setOpen('revoke')}>
          Revoke…
        </Button>
      )}
    </div>
  );
}
