import { Banner } from '@leafygreen-ui/banner';
import { Card } from '@leafygreen-ui/card';
import { Option, Select } from '@leafygreen-ui/select';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { AccessReviewCampaign } from '../../../../contract/api/access-reviews.ts';
import type { Me } from '../../../../contract/api/me.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { PersonPicker, type PickedPerson } from '../org/PersonPicker.tsx';
import { CampaignStatus, KIND_LABEL } from './CampaignsSection.tsx';
import { CloseCampaign } from './CloseCampaign.tsx';
import { Progress } from './Progress.tsx';
import { type ItemFilters, useCampaign, useCampaignItems } from './queries.ts';
import { ReportLinks } from './ReportLinks.tsx';
import { ReviewItemsTable } from './ReviewItemsTable.tsx';
import { useDecideWithMessage } from './useDecideWithMessage.ts';

const STATES: { value: ItemFilters['state']; label: string }[] = [
  { value: 'all', label: 'All items' },
  { value: 'open', label: 'Undecided' },
  { value: 'decided', label: 'Decided' },
];

/** /admin/reviews/<id>: one campaign, its items (admins: all; a reviewer: theirs), closing and the report. */
export function CampaignPage({ id, me }: { id: string; me: Me }) {
  const campaign = useCampaign(id);
  return (
    <main className="admin-main" data-testid="campaign-page">
      <AppLink to="/admin/reviews">← Access reviews</AppLink>
      {campaign.isPending && <Body aria-live="polite">Loading…</Body>}
      {campaign.isError && (
        <Banner variant="danger">Couldn't load the campaign: {errorMessage(campaign.error)}</Banner>
      )}
      {campaign.data !== undefined && <Campaign campaign={campaign.data} me={me} />}
    </main>
  );
}

function Campaign({ campaign: c, me }: { campaign: AccessReviewCampaign; me: Me }) {
  const admin = me.role === 'admin';
  const [state, setState] = useState<ItemFilters['state']>('all');
  const [reviewer, setReviewer] = useState<PickedPerson[]>([]);
  const reviewerId = reviewer[0]?.id;
  const pages = useCampaignItems(c.id, reviewerId === undefined ? { state } : { state, reviewerId });
  const { decide, message, onDecide } = useDecideWithMessage();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <div className="page-head">
        <div>
          <H1>{c.name}</H1>
          <CampaignStatus campaign={c} />
        </div>
      </div>
      <Card className="profile-card">
        <dl className="facts">
          <dt>Population</dt>
          <dd>{KIND_LABEL[c.kind]}</dd>
          <dt>Due</dt>
          <dd>{dateTime(c.dueAt)}</dd>
          <dt>Started</dt>
          <dd>
            {c.createdBy.name}, {dateTime(c.createdAt)}
          </dd>
          {c.closedAt !== null && (
            <>
              <dt>Closed</dt>
              <dd>
                {c.closedBy?.name ?? '—'}, {dateTime(c.closedAt)}
              </dd>
            </>
          )}
          <dt>{admin ? 'Progress' : 'Your items'}</dt>
          <dd>
            <Progress progress={c.progress} />
          </dd>
        </dl>
      </Card>
      {admin && c.status === 'open' && <CloseCampaign campaign={c} />}
      {admin && c.status === 'closed' && <ReportLinks campaign={c} />}
      <fieldset className="filters" aria-label="Filter items">
        <Select
          label="Items"
          size="small"
          allowDeselect={false}
          value={state}
          onChange={(value: string) => setState(STATES.find((s) => s.value === value)?.value ?? 'all')}
          className="filters__select"
        >
          {STATES.map((s) => (
            <Option key={s.value} value={s.value}>
              {s.label}
            </Option>
          ))}
        </Select>
        {admin && (
          <PersonPicker
            label="Reviewer"
            description="Only this reviewer's items"
            picked={reviewer}
            onChange={setReviewer}
          />
        )}
      </fieldset>
      {message !== null && (
        <Banner variant="success" data-testid="decision-done">
          {message}
        </Banner>
      )}
      <ProblemNotice error={decide.error} what="Couldn't record the decision" />
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Banner variant="danger">Couldn't load the items: {errorMessage(pages.error)}</Banner>
      )}
      {pages.isSuccess && items.length === 0 && <Body className="empty">No items match.</Body>}
      {items.length > 0 && (
        <ReviewItemsTable items={items} me={me} show="reviewer" busy={decide.isPending} onDecide={onDecide} />
      )}
      <LoadMore pages={pages} />
    </>
  );
}
