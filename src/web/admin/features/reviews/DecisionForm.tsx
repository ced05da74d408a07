import { Button } from '@leafygreen-ui/button';
import { TextInput } from '@leafygreen-ui/text-input';
import { useId, useState } from 'react';
import { ACCESS_REVIEW_LIMITS, type AccessReviewItem } from '../../../../contract/api/access-reviews.ts';

interface DecisionFormProps {
  item: AccessReviewItem;
  busy: boolean;
  onDecide: (decision: 'keep' | 'revoke', comment: string) => void;
}

/** Keep (comment optional) or revoke (comment required) one entitlement. Decisions are final. */
export function DecisionForm({ item, busy, onDecide }: DecisionFormProps) {
  const [comment, setComment] = useState('');
  const commentId = useId();
  const text = comment.trim();
  const canRevoke = text.length >= ACCESS_REVIEW_LIMITS.revokeCommentMin;
  return (
    <form className="inline-form decision-form" onSubmit={(event) => event.preventDefault()}>
      <TextInput
        id={commentId}
        label="Comment"
        description={`Required to revoke (at least ${ACCESS_REVIEW_LIMITS.revokeCommentMin} characters)`}
        sizeVariant="small"
        value={comment}
        maxLength={ACCESS_REVIEW_LIMITS.comment}
        onChange={(change) => setComment(change.target.value)}
      />
      <div className="inline-form__buttons">
        <Button size="small" variant="primary" disabled={busy} onClick={() => onDecide('keep', text)}>
          Keep
        </Button>
        <Button
          size="small"
          variant="danger"
          disabled={busy || !canRevoke}
          title={canRevoke ? undefined : 'Say why in the comment first'}
          onClick={() => {
            if (
              window.confirm(`Revoke ${item.subject.name}'s ${item.entitlement.role} access? This is final.`)
            )
              onDecide('revoke', text);
          }}
        >
          Revoke
        </Button>
      </div>
    </form>
  );
}
