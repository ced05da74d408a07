import { Banner } from '@leafygreen-ui/banner';
import { minutesText, SOURCE_LABEL, useOrgStatus } from '../features/org/statusQuery.ts';
import { AppLink } from './Nav.tsx';

// Inline (CSP allows inline styles): this banner is in the entry bundle, the access pages' CSS is not.
const WRAP = { padding: '8px 24px' } as const;
const LIST = { margin: '0 0 4px', paddingLeft: '20px' } as const;

/**
 * For admins, on every page: an org source is stale, so access decisions rest on org facts nobody refreshed.
 * Says which source, how stale, and links to the Org page.
 */
export function OrgStaleBanner() {
  const status = useOrgStatus();
  const stale = status.data?.sources.filter((s) => s.stale) ?? [];
  if (stale.length === 0) return null;
  return (
    <div style={WRAP} data-testid="org-stale-banner">
      <Banner variant="warning">
        <ul style={LIST}>
          {stale.map((s) => (
            <li key={s.source}>
              <strong>{SOURCE_LABEL[s.source]} is stale</strong>:{' '}
              {s.staleReason ?? `no successful sync within ${minutesText(s.maxStalenessMinutes)}.`}{' '}
              {s.lastError !== null && <span>Last error: {s.lastError} </span>}
            </li>
          ))}
        </ul>
        <AppLink to="/admin/org">Check the org sources</AppLink>
      </Banner>
    </div>
  );
}
