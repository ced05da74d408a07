import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H3 } from '@leafygreen-ui/typography';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { useImports } from './queries.ts';

const VARIANT = { previewed: 'blue', applied: 'green', discarded: 'lightgray', failed: 'red' } as const;

/** Recent imports: which file, when, by whom, what it did; open one to see its diff again. */
export function ImportHistory({ currentId, onOpen }: { currentId: string; onOpen: (id: string) => void }) {
  const pages = useImports();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div>
      <H3 as="h3">Recent imports</H3>
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Body className="error-text">Couldn't load imports: {errorMessage(pages.error)}</Body>
      )}
      {pages.isSuccess && items.length === 0 && <Body>No imports yet.</Body>}
      {items.length > 0 && (
        <div className="table-scroll">
          <Table aria-label="Recent HR feed imports">
            <TableHead>
              <HeaderRow>
                {['File', 'Status', 'Counts', 'By', ''].map((c) => (
                  <HeaderCell key={c || 'open'}>{c}</HeaderCell>
                ))}
              </HeaderRow>
            </TableHead>
            <TableBody>
              {items.map((i) => (
                <Row key={i.id}>
                  <Cell>
                    <div>{i.fileName}</div>
                    <code className="muted hash">{i.fileSha256.slice(0, 16)}…</code>
                  </Cell>
                  <Cell>
                    <Badge variant={VARIANT[i.status]}>{i.status}</Badge>
                    {i.failure !== null && <div className="error-text">{i.failure}</div>}
                  </Cell>
                  <Cell>
                    {i.counts.rows} rows: +{i.counts.joiners} ~{i.counts.movers} −{i.counts.leavers}
                    {i.counts.conflicts > 0 ? `, ${i.counts.conflicts} conflicts` : ''}
                  </Cell>
                  <Cell>
                    <div>{i.createdBy?.name ?? 'CLI'}</div>
                    <div className="muted nowrap">{dateTime(i.createdAt)}</div>
                  </Cell>
                  <Cell>
                    {i.id !== currentId && (
                      <Button size="small" onClick={() => onOpen(i.id)}>
                        Open
                      </Button>
                    )}
                  </Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <LoadMore pages={pages} size="small" />
    </div>
  );
}
