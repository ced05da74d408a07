import { Card } from '@leafygreen-ui/card';
import { Body, Overline } from '@leafygreen-ui/typography';
import type { MetricCard } from '../../../../contract/api/reporting.ts';
import { AppLink } from '../../components/Nav.tsx';
import { cardChange, changeSentiment } from './format.ts';

interface MetricCardsProps {
  cards: MetricCard[];
  /** Where a card leads (the insights it counts), or null when it counts something else. */
  hrefOf?: (key: MetricCard['key']) => string | null;
}

function Metric({ card, href }: { card: MetricCard; href: string | null }) {
  const change = cardChange(card);
  const mood = changeSentiment(card.key, change.tone);
  return (
    <Card className="metric" data-testid={`metric-${card.key}`}>
      <Overline as="h3" className="metric__label">
        {card.label}
      </Overline>
      <p className="metric__value">
        {href === null ? (
          <span data-testid={`metric-${card.key}-value`}>{card.value}</span>
        ) : (
          <AppLink to={href} className="metric__link">
            <span data-testid={`metric-${card.key}-value`}>{card.value}</span>
            <span className="visually-hidden"> — list them</span>
          </AppLink>
        )}
      </p>
      <Body
        as="p"
        className={`metric__change metric__change--${mood}`}
        data-testid={`metric-${card.key}-change`}
      >
        <span aria-hidden="true">
          {change.arrow} {change.text}
        </span>
        <span className="visually-hidden">{change.spoken}</span>
        <span className="metric__previous" aria-hidden="true">
          {' '}
          vs {card.previous}
        </span>
      </Body>
    </Card>
  );
}

/** The headline numbers of a period, each with its change against the previous period of the same length. */
export function MetricCards({ cards, hrefOf }: MetricCardsProps) {
  return (
    <section className="metrics" aria-label="Headline numbers">
      {cards.map((card) => (
        <Metric key={card.key} card={card} href={hrefOf?.(card.key) ?? null} />
      ))}
    </section>
  );
}
