import { Badge } from '@leafygreen-ui/badge';
import type { AccessReviewItem } from '../../../../contract/api/access-reviews.ts';
import type { Me } from '../../../../contract/api/me.ts';
import { dateTime } from '../../../ui/format.ts';
import { DecisionForm } from './DecisionForm.tsx';

const REMEDIATION = {
  none: '',
  exception_revoked: 'The exception was revoked at once.',
  removal_requested: 'A removal request is open for the IdP or HR system.',
} as const;

interface ItemDecisionProps {
  item: AccessReviewItem;
  me: Me;
  busy: boolean;
  onDecide: (item: AccessReviewItem, decision: 'keep' | 'revoke', comment: string) => void;
}

/** The decision on an item, or the form to make it when this person may; otherwise why not. */
export function ItemDecision({ item, me, busy, onDecide }: ItemDecisionProps) {
  if (item.decision !== null) {
    return (
      <div data-testid="item-decided">
        <Badge variant={item.decision === 'keep' ? 'green' : 'red'}>
          {item.decision === 'keep' ? 'Kept' : 'Revoked'}
        </Badge>
        {item.comment !== null && item.comment !== '' && <div>“{item.comment}”</div>}
        <div className="muted">
          {item.decidedBy?.name ?? 'Someone'}
          {item.decidedAt === null ? '' : `, ${dateTime(item.decidedAt)}`}
        </div>
        {item.remediation !== null && item.remediation !== 'none' && (
          <div className="muted">{REMEDIATION[item.remediation]}</div>
        )}
      </div>
    );
  }
  if (item.campaign.status === 'closed') return <span className="muted">Undecided (campaign closed)</span>;
  if (item.subject.id === me.person.id)
    return <span className="muted">Your own access: another reviewer or admin decides.</span>;
  if (item.reviewer.id !== me.person.id && me.role !== 'admin')
    return <span className="muted">Waiting for {item.reviewer.name}</span>;
  return (
    <DecisionForm
      item={item}
      busy={busy}
      onDecide={(decision, comment) => onDecide(item, decision, comment)}
    />
  );
}
