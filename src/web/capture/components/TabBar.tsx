import { hrefOf, TAB_LABEL, TABS, type Tab } from '../lib/routes.ts';

interface TabBarProps {
  current: Tab;
  /** Small counts on a tab (drafts on Capture, conflicts on Impact); visual only, so each tab's name stays its label. */
  badges: Partial<Record<Tab, number>>;
}

/** The five tabs, at the bottom where the thumb is. Plain links: the hash route is the state. */
export function TabBar({ current, badges }: TabBarProps) {
  return (
    <nav className="tab-bar" aria-label="Tabs">
      {TABS.map((tab) => {
        const badge = badges[tab] ?? 0;
        return (
          <a
            key={tab}
            href={hrefOf(tab)}
            className="tab-bar__tab"
            aria-current={tab === current ? 'page' : undefined}
          >
            <span className="tab-bar__label">{TAB_LABEL[tab]}</span>
            {badge > 0 && (
              <span className="tab-bar__badge" aria-hidden="true">
                {badge}
              </span>
            )}
          </a>
        );
      })}
    </nav>
  );
}
