import { Badge } from '@leafygreen-ui/badge';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { AccessReviewItem } from '../../../../contract/api/access-reviews.ts';
import type { Me } from '../../../../contract/api/me.ts';
import { dateTime, relativeTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { grantText, SourceBadge } from '../org/EntitlementList.tsx';
import { ItemDecision } from './ItemDecision.tsx';

interface ReviewItemsTableProps {
  items: AccessReviewItem[];
  me: Me;
  /** The inbox lists items of several campaigns; a campaign page lists reviewers instead. */
  show: 'campaign' | 'reviewer';
  busy: boolean;
  onDecide: (item: AccessReviewItem, decision: 'keep' | 'revoke', comment: string) => void;
}

/** Review items: whose access, what and why, where it comes from, and the decision. */
export function ReviewItemsTable({ items, me, show, busy, onDecide }: ReviewItemsTableProps) {
  return (
    <div className="table-scroll">
      <Table aria-label="Review items" data-testid="review-items">
        <TableHead>
          <HeaderRow>
            {[
              'Person',
              'Entitlement and reason',
              show === 'campaign' ? 'Campaign' : 'Reviewer',
              'Decision',
            ].map((column) => (
              <HeaderCell key={column}>{column}</HeaderCell>
            ))}
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((item) => (
            <Row key={item.id} data-testid="review-item" data-item-id={item.id} data-source={item.source}>
              <Cell>
                <strong>{item.subject.name}</strong>
                <div className="muted">{item.subject.email}</div>
              </Cell>
              <Cell>
                <div className="badges">
                  <SourceBadge source={item.source} />
                  <strong>{grantText(item.entitlement)}</strong>
                </div>
                <div className="cell-text">{item.entitlement.reason}</div>
              </Cell>
              <Cell>
                {show === 'campaign' ? (
                  <>
                    <AppLink to={`/admin/reviews/${item.campaign.id}`}>{item.campaign.name}</AppLink>
                    <div className="badges">
                      <span className="muted nowrap">due {dateTime(item.campaign.dueAt)}</span>
                      {item.overdue && <Badge variant="red">Overdue</Badge>}
                    </div>
                    {item.lastRemindedAt !== null && (
                      <div className="muted">Reminded {relativeTime(item.lastRemindedAt)}</div>
                    )}
                  </>
                ) : (
                  <>
                    <div>{item.reviewer.name}</div>
                    {item.overdue && <Badge variant="red">Overdue</Badge>}
                    {item.lastRemindedAt !== null && (
                      <div className="muted">Reminded {relativeTime(item.lastRemindedAt)}</div>
                    )}
                  </>
                )}
              </Cell>
              <Cell>
                <ItemDecision item={item} me={me} busy={busy} onDecide={onDecide} />
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
