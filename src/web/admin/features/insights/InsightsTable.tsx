import { Badge } from '@leafygreen-ui/badge';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { MouseEvent } from 'react';
import type { InsightListItem } from '../../../../contract/api/insights.ts';
import { FOLLOW_UP_STATUS_LABELS } from '../../../../contract/reporting.ts';
import {
  INSIGHT_TYPES,
  labelOf,
  PRIORITIES,
  PRODUCT_AREAS,
  SENTIMENTS,
} from '../../../../contract/taxonomy.ts';
import { dateTime, truncate } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { Snippet } from './Snippet.tsx';

interface InsightsTableProps {
  items: InsightListItem[];
  /** The drawer link of an insight (keeps the list's filter). */
  hrefOf: (id: string) => string;
  onOpen: (id: string) => void;
  /** Present when the reader may change insights in bulk: the row checkboxes. */
  selection?: { selected: ReadonlySet<string>; toggle: (id: string) => void; setPage: (on: boolean) => void };
}

const PRIORITY_VARIANT = { low: 'lightgray', medium: 'blue', high: 'yellow', critical: 'red' } as const;

/** The list: title (or the start of the text) and the search snippet, with who, what and where. */
export function InsightsTable({ items, hrefOf, onOpen, selection }: InsightsTableProps) {
  const allOn =
    selection !== undefined && items.length > 0 && items.every((i) => selection.selected.has(i.id));
  const openRow = (event: MouseEvent<HTMLElement>, id: string) => {
    const target = event.target as HTMLElement;
    if (target.closest('a, button, input, label') !== null) return;
    onOpen(id);
  };
  return (
    <div className="table-scroll">
      <Table aria-label="Insights" data-testid="insights-table">
        <TableHead>
          <HeaderRow>
            {selection !== undefined && (
              <HeaderCell className="select-cell">
                <input
                  type="checkbox"
                  aria-label="Select all loaded insights"
                  checked={allOn}
                  onChange={(event) => selection.setPage(event.target.checked)}
                />
              </HeaderCell>
            )}
            <HeaderCell>Insight</HeaderCell>
            <HeaderCell>Captured</HeaderCell>
            <HeaderCell>Author</HeaderCell>
            <HeaderCell>Type</HeaderCell>
            <HeaderCell>Sentiment</HeaderCell>
            <HeaderCell>Priority</HeaderCell>
            <HeaderCell>Product areas</HeaderCell>
            <HeaderCell>Follow-up</HeaderCell>
            <HeaderCell>Event</HeaderCell>
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((item) => (
            <Row
              key={item.id}
              data-testid="insight-row"
              data-id={item.id}
              className="insight-row"
              onClick={(event: MouseEvent<HTMLElement>) => openRow(event, item.id)}
            >
              {selection !== undefined && (
                <Cell className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={`Select “${truncate(item.title ?? item.text, 40)}”`}
                    checked={selection.selected.has(item.id)}
                    onChange={() => selection.toggle(item.id)}
                  />
                </Cell>
              )}
              <Cell className="insight-cell">
                <AppLink to={hrefOf(item.id)} className="insight-cell__title">
                  {item.title ?? truncate(item.text, 80)}
                </AppLink>
                {item.snippet !== null ? (
                  <Snippet segments={item.snippet} />
                ) : (
                  item.title !== null && (
                    <span className="insight-text muted">{truncate(item.text, 140)}</span>
                  )
                )}
                {item.tags.length > 0 && (
                  <span className="tag-list">
                    {item.tags.map((tag) => (
                      <span key={tag} className="tag">
                        #{tag}
                      </span>
                    ))}
                  </span>
                )}
                {item.mergedCount > 0 && (
                  <span className="muted merged-count">
                    {item.mergedCount} merged duplicate{item.mergedCount === 1 ? '' : 's'}
                  </span>
                )}
              </Cell>
              <Cell>
                <time dateTime={item.capturedAt} className="nowrap">
                  {dateTime(item.capturedAt)}
                </time>
              </Cell>
              <Cell>{item.author.name}</Cell>
              <Cell className="nowrap">{labelOf(INSIGHT_TYPES, item.type)}</Cell>
              <Cell className="nowrap">{labelOf(SENTIMENTS, item.sentiment)}</Cell>
              <Cell className="nowrap">
                <Badge variant={PRIORITY_VARIANT[item.priority]}>{labelOf(PRIORITIES, item.priority)}</Badge>
              </Cell>
              <Cell>
                {item.productAreas.length === 0
                  ? '–'
                  : item.productAreas.map((area) => labelOf(PRODUCT_AREAS, area)).join(', ')}
              </Cell>
              <Cell className="nowrap">
                {item.followUpState !== null
                  ? FOLLOW_UP_STATUS_LABELS[item.followUpState.status]
                  : item.followUp
                    ? 'Flagged'
                    : '–'}
              </Cell>
              <Cell>{item.event?.name ?? '–'}</Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
