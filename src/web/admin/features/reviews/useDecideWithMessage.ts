import { useState } from 'react';
import type { AccessReviewItem } from '../../../../contract/api/access-reviews.ts';
import { grantText } from '../org/EntitlementList.tsx';
import { useDecide } from './queries.ts';

const AFTER = {
  none: '',
  exception_revoked: ' The exception was revoked at once.',
  removal_requested: ' A removal request is open for an admin to carry out at the IdP or HR system.',
} as const;

/** Decide an item and say what happened in words (the inbox and the campaign page share it). */
export function useDecideWithMessage() {
  const decide = useDecide();
  const [message, setMessage] = useState<string | null>(null);
  const onDecide = (item: AccessReviewItem, decision: 'keep' | 'revoke', comment: string) => {
    setMessage(null);
    decide.mutate(
      { id: item.id, decision: comment === '' ? { decision } : { decision, comment } },
      {
        onSuccess: (decided) =>
          setMessage(
            `${decision === 'keep' ? 'Kept' : 'Revoked'} ${item.subject.name}'s ${grantText(item.entitlement)}.${AFTER[decided.remediation ?? 'none']}`,
          ),
      },
    );
  };
  return { decide, message, onDecide };
}
