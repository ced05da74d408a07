import { Body } from '@leafygreen-ui/typography';
import type { InsightRef } from '../../../../contract/api/reporting.ts';
import { INSIGHT_TYPES, labelOf } from '../../../../contract/taxonomy.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { insightHref } from '../insights/filterUrl.ts';

interface CriticalListProps {
  items: InsightRef[];
  /** "See all N critical insights": the list with the view's filter, period and priority=critical. */
  allHref?: string;
  total?: number;
}

/** Newest critical-priority insights of the period; each opens the insight itself. */
export function CriticalList({ items, allHref, total }: CriticalListProps) {
  if (items.length === 0) {
    return <Body className="muted">No critical insights in this period.</Body>;
  }
  return (
    <>
      <ul className="critical-list" data-testid="critical-list">
        {items.map((item) => (
          <li key={item.id} className="critical-list__item" data-testid="critical-item">
            <AppLink to={insightHref(item.id)} className="critical-list__title">
              {item.title ?? item.excerpt.slice(0, 90)}
            </AppLink>
            {item.title !== null && <p className="critical-list__excerpt">{item.excerpt}</p>}
            <p className="critical-list__meta">
              {labelOf(INSIGHT_TYPES, item.type)} · {item.author.name}
              {item.event !== null && ` · ${item.event.name}`} ·{' '}
              <time dateTime={item.capturedAt}>{dateTime(item.capturedAt)}</time>
            </p>
          </li>
        ))}
      </ul>
      {allHref !== undefined && (
        <AppLink to={allHref} className="see-all">
          {total !== undefined ? `See all ${total} critical insights` : 'See all critical insights'}
        </AppLink>
      )}
    </>
  );
}
