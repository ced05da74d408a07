import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { TextInput } from '@leafygreen-ui/text-input';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type FormEvent, useId, useState } from 'react';
import type { RuleSetVersion } from '../../../../contract/api/access.ts';
import { dateTime } from '../../../ui/format.ts';
import { RulesTable } from './RulesTable.tsx';

interface PendingVersionProps {
  pending: RuleSetVersion;
  myId: string;
  busy: boolean;
  onApprove: () => void;
  onReject: (note: string) => void;
}

/** The proposed version waiting for a second admin: what changes, who asked, approve or reject (withdraw). */
export function PendingVersion({ pending, myId, busy, onApprove, onReject }: PendingVersionProps) {
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  const noteId = useId();
  const mine = pending.createdBy?.id === myId;
  const proposal = pending.proposal;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (note.trim() !== '') onReject(note.trim());
  };

  return (
    <Card className="profile-card" data-testid="pending-version">
      <H2 className="section-title">Pending: version {pending.version}</H2>
      <Body>
        Proposed by {pending.createdBy?.name ?? 'the system'} on {dateTime(pending.createdAt)}: “
        {pending.reason}”
      </Body>
      {proposal !== null && (
        <Body>
          Changes {proposal.changedRules.join(', ') || 'nothing'}; when proposed, {proposal.gains}{' '}
          {proposal.gains === 1 ? 'person gained' : 'people gained'} and {proposal.losses}{' '}
          {proposal.losses === 1 ? 'person lost' : 'people lost'} something.
        </Body>
      )}
      <RulesTable
        spec={pending.spec}
        label={`Rules of pending version ${pending.version}`}
        highlight={proposal?.changedRules ?? []}
      />
      {rejecting ? (
        <form className="inline-form" onSubmit={submit}>
          <TextInput
            id={noteId}
            label={mine ? 'Why withdraw it?' : 'Why reject it?'}
            value={note}
            maxLength={500}
            onChange={(change) => setNote(change.target.value)}
          />
          <div className="inline-form__buttons">
            <Button type="submit" variant="danger" disabled={busy || note.trim() === ''}>
              {mine ? 'Withdraw' : 'Reject'}
            </Button>
            <Button onClick={() => setRejecting(false)} disabled={busy}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="inline-form__buttons">
          {mine ? (
            <span className="muted" data-testid="approve-not-yours">
              You proposed this version: another admin approves it.
            </span>
          ) : (
            <Button variant="primary" onClick={onApprove} disabled={busy}>
              Approve v{pending.version}
            </Button>
          )}
          <Button onClick={() => setRejecting(true)} disabled={busy}>
            {mine ? 'Withdraw…' : 'Reject…'}
          </Button>
        </div>
      )}
    </Card>
  );
}
