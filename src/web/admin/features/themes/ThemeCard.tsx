import { Badge } from '@leafygreen-ui/badge';
import { Card } from '@leafygreen-ui/card';
import { Body, H3 } from '@leafygreen-ui/typography';
import type { PeriodInfo, Theme } from '../../../../contract/api/reporting.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { insightHref } from '../insights/filterUrl.ts';
import { formatChange } from '../reports/format.ts';
import { QuoteText } from '../reports/Quote.tsx';
import type { ReportState } from '../reports/reportQuery.ts';
import { themeHref } from './themeLinks.ts';

interface ThemeCardProps {
  theme: Theme;
  period: PeriodInfo;
  state: ReportState;
  /** Heading level inside the page (h2 on Themes, h3 inside the report). */
  level?: 'h2' | 'h3';
}

/** One emerging theme: what it is, how it grew, why it is listed, and quotes of the insights behind it. */
export function ThemeCard({ theme, period, state, level = 'h2' }: ThemeCardProps) {
  const change = formatChange(theme.current, theme.previous, theme.growth);
  return (
    <Card className="theme" data-testid="theme">
      <div className="theme__head">
        <H3 as={level} className="theme__label">
          {theme.label}
        </H3>
        <Badge variant={theme.status === 'new' ? 'blue' : 'green'} data-testid="theme-status">
          {theme.status === 'new' ? 'New' : 'Growing'}
        </Badge>
      </div>
      <p className="theme__counts" data-testid="theme-counts">
        <strong>{theme.current}</strong> insights this period vs <strong>{theme.previous}</strong> before
        <span className="theme__change"> ({[change.arrow, change.text].filter(Boolean).join(' ')})</span>
      </p>
      <Body className="theme__explanation">{theme.explanation}</Body>
      {theme.citations.length > 0 && (
        <ul className="theme__quotes" aria-label={`Quotes about ${theme.label}`}>
          {theme.citations.map((citation) => (
            <li key={citation.insightId} className="quote" data-testid="theme-quote">
              <blockquote className="quote__text">
                <QuoteText segments={citation.quote} />
              </blockquote>
              <p className="quote__source">
                — {citation.author.name}
                {citation.event !== null && `, ${citation.event.name}`},{' '}
                <time dateTime={citation.capturedAt}>{dateTime(citation.capturedAt)}</time> ·{' '}
                <AppLink to={insightHref(citation.insightId)}>open</AppLink>
              </p>
            </li>
          ))}
        </ul>
      )}
      <AppLink to={themeHref(state, period, theme)} className="see-all">
        See the {theme.current} insights
      </AppLink>
    </Card>
  );
}
