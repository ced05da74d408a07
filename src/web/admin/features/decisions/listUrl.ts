import { DECISION_STATUSES, type DecisionStatus } from '../../../../contract/api/decisions.ts';

/**
 * The register's filter in the URL (?owner=…&status=…), named as the API names them: a filtered list is a
 * link to share, and back and forward work. Unknown parameters and unknown statuses are dropped here.
 */
export const DECISIONS_PATH = '/admin/decisions';
export const NEW_DECISION_PATH = `${DECISIONS_PATH}/new`;

export interface DecisionFilter {
  owner?: string | undefined;
  status?: DecisionStatus | undefined;
}

export function parseFilter(search: string): DecisionFilter {
  const params = new URLSearchParams(search);
  const out: DecisionFilter = {};
  const owner = params.get('owner')?.trim();
  if (owner) out.owner = owner;
  const status = params.get('status')?.trim();
  if (status && (DECISION_STATUSES as readonly string[]).includes(status))
    out.status = status as DecisionStatus;
  return out;
}

export function listHref(filter: DecisionFilter): string {
  const params = new URLSearchParams();
  if (filter.owner) params.set('owner', filter.owner);
  if (filter.status) params.set('status', filter.status);
  const query = params.toString();
  return query === '' ? DECISIONS_PATH : `${DECISIONS_PATH}?${query}`;
}

export const decisionHref = (id: string) => `${DECISIONS_PATH}/${encodeURIComponent(id)}`;
