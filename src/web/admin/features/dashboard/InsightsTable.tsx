import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { Insight } from '../../../../contract/api/insights.ts';
import {
  INSIGHT_TYPES,
  labelOf,
  PRIORITIES,
  PRODUCT_AREAS,
  SENTIMENTS,
} from '../../../../contract/taxonomy.ts';
import { dateTime, truncate } from '../../../ui/format.ts';

const COLUMNS = ['Captured', 'Author', 'Type', 'Sentiment', 'Priority', 'Product areas', 'Event', 'Text'];

/** One row per insight, newest first, as the server returned them. */
export function InsightsTable({ items }: { items: Insight[] }) {
  return (
    <div className="table-scroll">
      <Table aria-label="Insights in scope" data-testid="insights-table">
        <TableHead>
          <HeaderRow>
            {COLUMNS.map((column) => (
              <HeaderCell key={column}>{column}</HeaderCell>
            ))}
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((item) => (
            <Row key={item.id} data-testid="insight-row">
              <Cell>
                <time dateTime={item.capturedAt} className="nowrap">
                  {dateTime(item.capturedAt)}
                </time>
              </Cell>
              <Cell>{item.author.name}</Cell>
              <Cell className="nowrap">{labelOf(INSIGHT_TYPES, item.type)}</Cell>
              <Cell className="nowrap">{labelOf(SENTIMENTS, item.sentiment)}</Cell>
              <Cell className="nowrap">{labelOf(PRIORITIES, item.priority)}</Cell>
              <Cell>
                {item.productAreas.length === 0
                  ? '–'
                  : item.productAreas.map((area) => labelOf(PRODUCT_AREAS, area)).join(', ')}
              </Cell>
              <Cell>{item.event?.name ?? '–'}</Cell>
              <Cell>
                <span title={item.text} className="insight-text">
                  {truncate(item.text, 140)}
                </span>
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
