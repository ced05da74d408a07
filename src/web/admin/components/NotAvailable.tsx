import { Body, H1 } from '@leafygreen-ui/typography';
import { ROLE_LABEL } from '../../../contract/roles.ts';
import type { PageInfo } from '../nav.ts';
import { AppLink } from './Nav.tsx';

function whoMayOpen(page: PageInfo): string {
  if (page.adminOnly) return 'admins';
  if (page.minRole) return `${ROLE_LABEL[page.minRole].toLowerCase()}s and above`;
  return 'other roles';
}

/** A path this app has no page for, or a page the person's role may not open (and who may). */
export function NotAvailable({ page }: { page: PageInfo | null }) {
  return (
    <main className="admin-main">
      <H1>{page ? 'Not for your role' : 'Page not found'}</H1>
      <Body>
        {page
          ? `${page.label} is for ${whoMayOpen(page)}. Your role does not include it.`
          : 'There is no page at this address.'}{' '}
        <AppLink to="/admin/">Go to the start page</AppLink>.
      </Body>
    </main>
  );
}
