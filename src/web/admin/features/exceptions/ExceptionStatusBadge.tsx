import { Badge } from '@leafygreen-ui/badge';
import type { AccessException } from '../../../../contract/api/access.ts';

const VARIANT = {
  requested: 'yellow',
  active: 'green',
  rejected: 'lightgray',
  expired: 'lightgray',
  revoked: 'red',
} as const;

const LABEL: Record<AccessException['status'], string> = {
  requested: 'Requested',
  active: 'Active',
  rejected: 'Rejected',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** "12 days left", "1 day left", "less than a day left". */
export function daysLeftText(daysLeft: number | null): string {
  if (daysLeft === null) return '';
  if (daysLeft <= 0) return 'less than a day left';
  return `${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left`;
}

export function ExceptionStatusBadge({ exception }: { exception: AccessException }) {
  return (
    <div className="badges">
      <Badge variant={VARIANT[exception.status]}>{LABEL[exception.status]}</Badge>
      {exception.status === 'active' && (
        <span className="nowrap" data-testid="days-left">
          {daysLeftText(exception.daysLeft)}
        </span>
      )}
    </div>
  );
}
