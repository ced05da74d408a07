import { Body, H1 } from '@leafygreen-ui/typography';
import type { Me } from '../../../../contract/api/me.ts';
import { pageInfo, subPath, usePathname } from '../../nav.ts';
import { CampaignPage } from './CampaignPage.tsx';
import { CampaignsSection } from './CampaignsSection.tsx';
import { InboxSection } from './InboxSection.tsx';
import { RemovalRequests } from './RemovalRequests.tsx';
import '../../access.css';

/** Reviews (/admin/reviews): my inbox; for admins also campaigns and removal requests. /admin/reviews/<id>. */
export function ReviewsPage({ me }: { me: Me }) {
  const pathname = usePathname();
  const campaignId = subPath(pathname, pageInfo('reviews'));
  if (campaignId !== null) return <CampaignPage key={campaignId} id={campaignId} me={me} />;
  const admin = me.role === 'admin';
  return (
    <main className="admin-main">
      <H1>Access reviews</H1>
      <Body>
        Periodically, each person's manager confirms the access they have.
        {admin ? ' As an admin you start and close campaigns and carry out removals.' : ''}
      </Body>
      <InboxSection me={me} />
      {admin && <CampaignsSection />}
      {admin && <RemovalRequests />}
    </main>
  );
}
