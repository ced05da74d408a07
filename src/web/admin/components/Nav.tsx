import type { MouseEvent, ReactNode } from 'react';
import { atLeast, type Role } from '../../../contract/roles.ts';
import { mayOpen, navigate, PAGES, type PageInfo } from '../nav.ts';

/** A link inside the admin app: a real href (open in new tab works), in-app navigation on a plain click. */
interface AppLinkProps {
  to: string;
  children: ReactNode;
  className?: string;
  current?: boolean;
}

export function AppLink({ to, children, className, current }: AppLinkProps) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} aria-current={current === true ? 'page' : undefined}>
      {children}
    </a>
  );
}

function NavItem({ page, current }: { page: PageInfo; current: PageInfo | null }) {
  const active = page.id === current?.id;
  return (
    <li>
      <AppLink to={page.path} className="admin-nav__link" current={active}>
        {page.label}
      </AppLink>
    </li>
  );
}

/** The pages this role may open; admins get the Admin group. */
export function Nav({ role, current }: { role: Role; current: PageInfo | null }) {
  const mine = PAGES.filter((page) => !page.adminOnly && mayOpen(page, role));
  const admin = role === 'admin' ? PAGES.filter((page) => page.adminOnly) : [];
  return (
    <nav className="admin-nav" aria-label="Pages">
      <ul>
        {mine.map((page) => (
          <NavItem key={page.id} page={page} current={current} />
        ))}
        {atLeast(role, 'advocate') && (
          <li>
            <a className="admin-nav__link" href="/capture/">
              Capture
            </a>
          </li>
        )}
      </ul>
      {admin.length > 0 && (
        <ul aria-label="Admin">
          <li className="admin-nav__group" aria-hidden="true">
            Admin
          </li>
          {admin.map((page) => (
            <NavItem key={page.id} page={page} current={current} />
          ))}
        </ul>
      )}
    </nav>
  );
}
