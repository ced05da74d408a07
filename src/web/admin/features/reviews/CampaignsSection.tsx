import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { AccessReviewCampaign } from '../../../../contract/api/access-reviews.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { hasSessionDraft } from '../../sessionState.ts';
import { CampaignForm } from './CampaignForm.tsx';
import { Progress } from './Progress.tsx';
import { useCampaigns } from './queries.ts';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export const KIND_LABEL = {
  privileged: 'Privileged',
  builder_relations: 'Builder Relations',
  custom: 'Custom',
} as const;

export function CampaignStatus({ campaign }: { campaign: AccessReviewCampaign }) {
  return (
    <div className="badges">
      <Badge variant={campaign.status === 'open' ? 'blue' : 'lightgray'}>
        {campaign.status === 'open' ? 'Open' : 'Closed'}
      </Badge>
      {campaign.overdue && <Badge variant="red">Overdue</Badge>}
    </div>
  );
}

/** Admins: start a campaign; every campaign with its progress. */
export function CampaignsSection() {
  const pages = useCampaigns(true);
  const [formOpen, setFormOpen] = useState(() => hasSessionDraft('campaign'));
  const [created, setCreated] = useState<AccessReviewCampaign | null>(null);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="campaigns" className="profile-section">
      <H2 id="campaigns" className="section-title">
        Campaigns
      </H2>
      {created !== null && (
        <Banner variant="success" data-testid="campaign-created">
          Started “{created.name}”: {plural(created.progress.total, 'item')} for{' '}
          {plural(created.progress.reviewers, 'reviewer')}.{' '}
          <AppLink to={`/admin/reviews/${created.id}`}>Open it</AppLink>
        </Banner>
      )}
      {formOpen ? (
        <CampaignForm
          onCreated={(campaign) => {
            setFormOpen(false);
            setCreated(campaign);
          }}
          onCancel={() => setFormOpen(false)}
        />
      ) : (
        <div>
          <Button
            variant="primary"
            onClick={() => {
              setCreated(null);
              setFormOpen(true);
            }}
          >
            Start a campaign
          </Button>
        </div>
      )}
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Banner variant="danger">Couldn't load campaigns: {errorMessage(pages.error)}</Banner>
      )}
      {pages.isSuccess && items.length === 0 && <Body>No campaigns yet.</Body>}
      {items.length > 0 && (
        <div className="table-scroll">
          <Table aria-label="Access review campaigns" data-testid="campaigns-table">
            <TableHead>
              <HeaderRow>
                {['Campaign', 'Status', 'Due', 'Progress', 'Started'].map((column) => (
                  <HeaderCell key={column}>{column}</HeaderCell>
                ))}
              </HeaderRow>
            </TableHead>
            <TableBody>
              {items.map((c) => (
                <Row key={c.id} data-testid="campaign-row">
                  <Cell>
                    <AppLink to={`/admin/reviews/${c.id}`}>
                      <strong>{c.name}</strong>
                    </AppLink>
                    <div className="muted">{KIND_LABEL[c.kind]}</div>
                  </Cell>
                  <Cell>
                    <CampaignStatus campaign={c} />
                  </Cell>
                  <Cell className="nowrap">{dateTime(c.dueAt)}</Cell>
                  <Cell>
                    <Progress progress={c.progress} />
                  </Cell>
                  <Cell>
                    <div>{c.createdBy.name}</div>
                    <div className="muted nowrap">{dateTime(c.createdAt)}</div>
                  </Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <LoadMore pages={pages} />
    </section>
  );
}
