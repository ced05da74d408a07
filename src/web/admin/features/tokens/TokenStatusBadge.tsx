import { Badge } from '@leafygreen-ui/badge';
import type { ApiTokenSummary } from '../../../../contract/api/tokens.ts';
import { displayStatus } from './queries.ts';

const VARIANT = {
  requested: 'yellow',
  approved: 'blue',
  active: 'green',
  rejected: 'lightgray',
  revoked: 'red',
  expired: 'lightgray',
} as const;

const LABEL: Record<keyof typeof VARIANT, string> = {
  requested: 'Requested',
  approved: 'Approved',
  active: 'Active',
  rejected: 'Rejected',
  revoked: 'Revoked',
  expired: 'Expired',
};

export function TokenStatusBadge({ token }: { token: ApiTokenSummary }) {
  const status = displayStatus(token) as keyof typeof VARIANT;
  return <Badge variant={VARIANT[status] ?? 'lightgray'}>{LABEL[status] ?? status}</Badge>;
}
