import type { CountRow } from '../../../contract/api/common.ts';
import type { ExecutiveReport, MetricCard } from '../../../contract/api/reporting.ts';

/**
 * The executive report's narrative: plain sentences built only from the report's own data, deterministic (the
 * same data gives the same words). Every number in it is a field of the report — a card's value or previous,
 * a distribution count, a theme's current/previous, a top event's count — or a percentage computed from such
 * fields (a card's change, or a card's value over the insights card), rounded to whole percents.
 */

export type NarrativeParagraph = ExecutiveReport['narrative'][number];
export type NarrativeInput = Pick<
  ExecutiveReport,
  'period' | 'cards' | 'distributions' | 'themes' | 'critical' | 'topEvents'
> & {
  /** The scope in words, as in the title ("team amer", "whole organization"). */
  scope: string;
};

/** How many entries a sentence lists (types, areas, themes' quotes, critical items, events). */
const LISTED = 3;
const QUOTE_CHARS = 200;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

function card(cards: MetricCard[], key: MetricCard['key']): MetricCard {
  return cards.find((c) => c.key === key) ?? { key, label: key, value: 0, previous: 0, change: null };
}

/** "up 20% from 35", "down 10% from 40", "the same as", "against none". */
function changeFrom(c: MetricCard): string {
  if (c.change === null) return c.value === 0 ? 'none in' : 'against none in';
  if (c.change === 0) return `the same as the ${c.previous} in`;
  return `${c.change > 0 ? 'up' : 'down'} ${percent(Math.abs(c.change))} from ${c.previous} in`;
}

function listCounts(rows: CountRow[]): string {
  return rows
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, LISTED)
    .map((r) => `${r.label} (${r.count})`)
    .join(', ');
}

function shorten(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function volume(r: NarrativeInput): NarrativeParagraph {
  const { period } = r;
  const insights = card(r.cards, 'insights');
  const previousRange = `the previous period (${period.previousFrom} to ${period.previousTo})`;
  const head = `From ${period.from} to ${period.to} (${period.label}), in scope (${r.scope}),`;
  if (insights.value === 0)
    return {
      heading: 'Volume',
      text: `${head} no insights were captured; ${previousRange} had ${insights.previous}.`,
    };
  const contributors = card(r.cards, 'contributors').value;
  const events = card(r.cards, 'events').value;
  const atEvents = events > 0 ? ` at ${plural(events, 'event')}` : '';
  const followUps = card(r.cards, 'follow_ups_open').value;
  const features = plural(
    card(r.cards, 'feature_requests').value,
    'was a feature request',
    'were feature requests',
  );
  const open = followUps === 0 ? 'none is' : plural(followUps, 'is', 'are');
  return {
    heading: 'Volume',
    text:
      `${head} ${plural(insights.value, 'insight was', 'insights were')} captured by ` +
      `${plural(contributors, 'contributor')}${atEvents}, ${changeFrom(insights)} ${previousRange}. ` +
      `Of these, ${features}; ${open} flagged for follow-up and still open or in progress.`,
  };
}

function mix(r: NarrativeInput): NarrativeParagraph | null {
  const insights = card(r.cards, 'insights');
  if (insights.value === 0) return null;
  const negative = card(r.cards, 'negative');
  const sentences = [`By type: ${listCounts(r.distributions.byType)}.`];
  const areas = listCounts(r.distributions.byProductArea);
  if (areas) sentences.push(`Most mentioned product areas: ${areas}.`);
  const sentiment = r.distributions.bySentiment.map((s) => `${s.count} ${s.label.toLowerCase()}`).join(', ');
  let shift = `Sentiment: ${sentiment}; negative is ${percent(negative.value / insights.value)} of insights`;
  if (insights.previous > 0) {
    const before = negative.previous / insights.previous;
    const now = negative.value / insights.value;
    const direction =
      Math.round(now * 100) === Math.round(before * 100)
        ? 'unchanged from'
        : now > before
          ? 'up from'
          : 'down from';
    shift += `, ${direction} ${percent(before)} (${negative.previous} of ${insights.previous}) in the previous period`;
  }
  sentences.push(`${shift}.`);
  return { heading: 'Mix', text: sentences.join(' ') };
}

function themes(r: NarrativeInput): NarrativeParagraph {
  if (r.themes.length === 0)
    return {
      heading: 'Emerging themes',
      text: 'No theme grew enough against the previous period to be listed.',
    };
  const parts = r.themes.map((t) => {
    const trend = t.status === 'new' ? 'new this period' : `up from ${t.previous}`;
    const citation = t.citations[0];
    const quote = citation
      ? ` — “${shorten(citation.quote.map((s) => s.text).join(''), QUOTE_CHARS)}” (${citation.author.name}` +
        `${citation.event ? `, ${citation.event.name}` : ''})`
      : '';
    return `“${t.label}” in ${plural(t.current, 'insight')} (${trend})${quote}`;
  });
  return {
    heading: 'Emerging themes',
    text: `${plural(r.themes.length, 'theme')} grew against the previous period: ${parts.join('; ')}.`,
  };
}

function critical(r: NarrativeInput): NarrativeParagraph {
  const c = card(r.cards, 'critical');
  if (c.value === 0)
    return {
      heading: 'Critical items',
      text: `No insight was marked critical (${c.previous} in the previous period).`,
    };
  const items = r.critical.slice(0, LISTED).map((i) => {
    const where = i.event ? ` at ${i.event.name}` : '';
    return `“${shorten(i.title ?? i.excerpt, 120)}” (${i.author.name}${where}, ${i.capturedAt.slice(0, 10)})`;
  });
  return {
    heading: 'Critical items',
    text:
      `${plural(c.value, 'insight was', 'insights were')} marked critical, ${changeFrom(c)} the previous period. ` +
      `Newest: ${items.join('; ')}.`,
  };
}

function topEvents(r: NarrativeInput): NarrativeParagraph {
  if (r.topEvents.length === 0)
    return { heading: 'Events', text: 'No insight in this period was captured at an event.' };
  const listed = r.topEvents
    .slice(0, LISTED)
    .map((e) => `${e.name} (${e.count})`)
    .join(', ');
  const events = card(r.cards, 'events').value;
  return {
    heading: 'Events',
    text: `Insights came from ${plural(events, 'event')}; the most from ${listed}.`,
  };
}

export function narrative(r: NarrativeInput): NarrativeParagraph[] {
  const paragraphs = [volume(r), mix(r), themes(r), critical(r), topEvents(r)];
  return paragraphs.filter((p): p is NarrativeParagraph => p !== null);
}
