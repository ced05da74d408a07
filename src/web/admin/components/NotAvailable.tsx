import { Body, H1 } from '@leafygreen-ui/typography';
import { AppLink } from './Nav.tsx';

/** A path this app has no page for, or a page the person's role may not open. */
export function NotAvailable({ known }: { known: boolean }) {
  return (
    <main className="admin-main">
      <H1>{known ? 'Admins only' : 'Page not found'}</H1>
      <Body>
        {known
          ? 'This page is for admins. Your role does not include it.'
          : 'There is no page at this address.'}{' '}
        <AppLink to="/admin/">Go to the start page</AppLink>.
      </Body>
    </main>
  );
}
