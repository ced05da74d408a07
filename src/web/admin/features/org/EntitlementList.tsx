import { Badge } from '@leafygreen-ui/badge';
import type { Entitlement, EntitlementSource } from '../../../../contract/api/entitlements.ts';
import { ROLE_LABEL, SCOPE_KIND_LABEL } from '../../../../contract/roles.ts';
import { dateTime } from '../../../ui/format.ts';

export const SOURCE_TEXT: Record<EntitlementSource, string> = {
  idp_group: 'IdP group',
  org: 'Org record',
  exception: 'Exception',
};
const SOURCE_VARIANT = { idp_group: 'blue', org: 'purple', exception: 'yellow' } as const;

export function SourceBadge({ source }: { source: EntitlementSource }) {
  return <Badge variant={SOURCE_VARIANT[source]}>{SOURCE_TEXT[source]}</Badge>;
}

/** "Manager · Reporting tree" */
export function grantText(entitlement: Pick<Entitlement, 'role' | 'scopeKind'>): string {
  return `${ROLE_LABEL[entitlement.role]} · ${SCOPE_KIND_LABEL[entitlement.scopeKind]}`;
}

/** Each entitlement behind a person's access, with where it came from and why (its provenance). */
export function EntitlementList({ items, compact = false }: { items: Entitlement[]; compact?: boolean }) {
  if (items.length === 0) return <span className="muted">No entitlements: no access</span>;
  return (
    <ul className="entitlements" data-testid="entitlements">
      {items.map((e) => (
        <li key={`${e.source}:${e.ruleId ?? e.exceptionId ?? ''}:${e.role}:${e.scopeKind}`}>
          <div className="badges">
            <SourceBadge source={e.source} />
            <strong>{grantText(e)}</strong>
            {e.ruleId !== null && <code className="muted">{e.ruleId}</code>}
          </div>
          <div className={compact ? 'entitlement__reason muted' : 'entitlement__reason'}>{e.reason}</div>
          {e.expiresAt !== null && <div className="muted">until {dateTime(e.expiresAt)}</div>}
        </li>
      ))}
    </ul>
  );
}
