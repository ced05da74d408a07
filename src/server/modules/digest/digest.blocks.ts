import { type DigestStats, SLACK_LIMITS } from '../../../contract/api/digest.ts';
import type { DigestWeek } from './digest.period.ts';

/**
 * The digest as Slack Block Kit (plus its plain-text fallback), pure: the same stats always give the same
 * payload, so the preview is exactly what "Send now" posts. Every text is escaped for Slack's mrkdwn (& < > are
 * control characters there) and cut to Slack's limits, so user-written insight text can never break the layout
 * or forge a link.
 */
export interface DigestMessage {
  blocks: Record<string, unknown>[];
  text: string;
}

export interface DigestContent {
  week: DigestWeek;
  scopeLabel: string;
  dashboardUrl: string;
  stats: DigestStats;
}

const QUOTE_CHARS = 140;

export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** At most `max` characters (code points, so an emoji is never cut), with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function formatChange(change: number | null): string {
  if (change === null) return 'new';
  const pct = Math.round(change * 100);
  return `${pct > 0 ? '+' : ''}${pct}%`;
}

const section = (text: string) => ({
  type: 'section',
  text: { type: 'mrkdwn', text: cut(text, SLACK_LIMITS.sectionText) },
});

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Lines of a list, or the sentence saying there is nothing. */
const list = (lines: string[], none: string) => (lines.length > 0 ? lines.join('\n') : `_${none}_`);

export function buildDigestMessage({ week, scopeLabel, dashboardUrl, stats }: DigestContent): DigestMessage {
  const { insights } = stats;
  const volume = `*${insights.current}* insights (${formatChange(insights.change)} vs ${insights.previous} the week before)`;
  const sentiment = stats.sentiment.map((s) => `${escapeMrkdwn(s.label)}: ${s.count}`).join(' · ');
  const types = stats.topTypes.map((t) => `• ${escapeMrkdwn(t.label)}: ${t.count}`);
  const themes = stats.themes.map(
    (t) =>
      `• *${escapeMrkdwn(oneLine(t.label))}*: ${plural(t.current, 'insight')} (${t.previous === 0 ? 'new' : `${formatChange(t.growth)} vs ${t.previous}`})`,
  );
  const negative = stats.negative.map((n) => {
    const title = escapeMrkdwn(cut(oneLine(n.title ?? n.excerpt), 80));
    const quote = escapeMrkdwn(cut(oneLine(n.excerpt), QUOTE_CHARS));
    return `• <${n.url}|${title}> (${n.priority})\n> ${quote}`;
  });
  const events = stats.topEvents.map(
    (e) => `• ${escapeMrkdwn(cut(oneLine(e.name), 120))}: ${plural(e.count, 'insight')}`,
  );

  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: cut(`Builder Insights weekly digest: ${week.label}`, SLACK_LIMITS.headerText),
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: cut(`${escapeMrkdwn(scopeLabel)} · ${week.start} to ${week.end} (UTC)`, 300),
        },
      ],
    },
    section(`${volume}\n${sentiment}`),
    section(`*Top insight types*\n${list(types, 'No insights this week.')}`),
    { type: 'divider' },
    section(`*Emerging themes*\n${list(themes, 'No theme rose this week.')}`),
    section(`*Critical and high-priority negative feedback*\n${list(negative, 'None this week.')}`),
    section(`*Top events*\n${list(events, 'No insights were linked to an event.')}`),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open the dashboard' },
          url: dashboardUrl,
          action_id: 'open_dashboard',
        },
      ],
    },
  ];

  const plain = (lines: string[], none: string) => (lines.length > 0 ? lines.join('\n') : none);
  const text = [
    `Builder Insights weekly digest: ${week.label} (${scopeLabel})`,
    `${insights.current} insights (${formatChange(insights.change)} vs ${insights.previous} the week before)`,
    stats.sentiment.map((s) => `${s.label}: ${s.count}`).join(', '),
    `Top types: ${plain(
      stats.topTypes.map((t) => `${t.label} ${t.count}`),
      'none',
    )}`,
    `Emerging themes: ${plain(
      stats.themes.map((t) => oneLine(t.label)),
      'none',
    )}`,
    `Critical/high negative: ${stats.negative.length}`,
    `Dashboard: ${dashboardUrl}`,
  ].join('\n');
  return { blocks, text: cut(text, SLACK_LIMITS.sectionText) };
}
