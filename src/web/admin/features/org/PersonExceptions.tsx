import { Banner } from '@leafygreen-ui/banner';
import { Body, H2 } from '@leafygreen-ui/typography';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { daysLeftText } from '../exceptions/ExceptionStatusBadge.tsx';
import { useExceptions } from '../exceptions/queries.ts';

/** The person's active exceptions: what they grant and how long they have left. */
export function PersonExceptions({ subjectId }: { subjectId: string }) {
  const pages = useExceptions({ subjectId, status: 'active' });
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="person-exceptions">
      <H2 id="person-exceptions" className="section-title">
        Active exceptions
      </H2>
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Banner variant="danger">Couldn't load exceptions: {errorMessage(pages.error)}</Banner>
      )}
      {pages.isSuccess && items.length === 0 && <Body>None.</Body>}
      {items.length > 0 && (
        <ul className="plain-list" data-testid="person-exceptions">
          {items.map((e) => (
            <li key={e.id}>
              <strong>{e.scopeLabel}</strong> as {e.role} · {daysLeftText(e.daysLeft)} (until{' '}
              {dateTime(e.expiresAt)}) · approved by {e.decidedBy?.name ?? '—'}
              <div className="muted">{e.justification}</div>
            </li>
          ))}
        </ul>
      )}
      <LoadMore pages={pages} size="small" />
    </section>
  );
}
