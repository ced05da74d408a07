import { Card } from '@leafygreen-ui/card';
import { Body } from '@leafygreen-ui/typography';
import { truncate } from '../../../ui/format.ts';

const SOURCE_NAME: Record<string, string> = { scim: 'SCIM', hr: 'HR feed', oidc: 'ID token (sign-in)' };

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ') || '(none)';
  return truncate(JSON.stringify(value), 300);
}

/** What each source (SCIM, HR feed, the ID token) last said about the person, field by field. */
export function SourceRecords({ records }: { records: Record<string, Record<string, unknown>> }) {
  const sources = Object.entries(records);
  if (sources.length === 0) return <Body>No source has asserted anything about this person yet.</Body>;
  return (
    <div className="profile-grid" data-testid="source-records">
      {sources.map(([source, fields]) => (
        <Card key={source} className="profile-card">
          <h3 className="subsection-title">{SOURCE_NAME[source] ?? source}</h3>
          <dl className="facts">
            {Object.entries(fields).map(([field, value]) => (
              <div key={field} className="facts__row">
                <dt>{field}</dt>
                <dd>{show(value)}</dd>
              </div>
            ))}
          </dl>
        </Card>
      ))}
    </div>
  );
}
