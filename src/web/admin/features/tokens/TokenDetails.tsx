import type { ApiTokenSummary } from '../../../../contract/api/tokens.ts';
import { dateTime, relativeTime } from '../../../ui/format.ts';

/** Name, prefix, kind, scopes and rate budget of a token: both token tables show it in their first column. */
export function TokenName({ token }: { token: ApiTokenSummary }) {
  return (
    <>
      <div>
        <strong>{token.name}</strong>{' '}
        <span className="muted">{token.kind === 'service' ? 'service' : 'personal'}</span>
      </div>
      {token.prefix !== null && <code className="muted">{token.prefix}…</code>}
      <div className="muted">{token.scopes.join(', ')}</div>
      <div className="muted" data-testid="token-rate">
        {token.rateLimitPerMinute === null
          ? 'default rate limit'
          : `${token.rateLimitPerMinute} requests/min per operation`}
      </div>
    </>
  );
}

/** Created, expiry (or lifetime, before issue) and last use. */
export function TokenDates({ token }: { token: ApiTokenSummary }) {
  return (
    <>
      <div className="nowrap">created {dateTime(token.createdAt)}</div>
      <div className="nowrap muted">
        {token.expiresAt === null
          ? `${token.lifetimeDays} days from issue`
          : `expires ${dateTime(token.expiresAt)}`}
      </div>
      <div className="nowrap muted">
        {token.lastUsedAt === null ? 'never used' : `used ${relativeTime(token.lastUsedAt)}`}
      </div>
    </>
  );
}

/** Justification, decision and revocation notes, where there are any. */
export function TokenNotes({ token }: { token: ApiTokenSummary }) {
  return (
    <>
      {token.justification !== null && <div>Why: {token.justification}</div>}
      {token.decidedBy !== null && (
        <div className="muted">
          {token.status === 'rejected' ? 'Rejected' : 'Approved'} by {token.decidedBy.name}
          {token.decidedAt === null ? '' : `, ${dateTime(token.decidedAt)}`}
          {token.decisionNote === null ? '' : `: ${token.decisionNote}`}
        </div>
      )}
      {token.revokedAt !== null && (
        <div className="muted">
          Revoked {dateTime(token.revokedAt)}
          {token.revokeReason === null ? '' : `: ${token.revokeReason}`}
        </div>
      )}
    </>
  );
}
