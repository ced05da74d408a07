import { Fragment, type ReactNode } from 'react';

/**
 * A readable rendering of the Block Kit the digest posts: headers, context, sections (Slack mrkdwn: *bold*,
 * _italic_, <url|text> links, > quotes, &amp;-escapes), dividers and link buttons. Only what the digest uses;
 * links are only http(s).
 */
type Block = { type: string } & Record<string, unknown>;

const unescapeSlack = (text: string) =>
  text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
const safeHref = (url: string) => (/^https?:\/\//.test(url) ? url : undefined);

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /<([^|>]+)\|([^>]*)>|\*([^*\n]+)\*|_([^_\n]+)_/g;
  let last = 0;
  let i = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) out.push(unescapeSlack(text.slice(last, at)));
    const k = `${key}-${i++}`;
    if (match[1] !== undefined)
      out.push(
        <a key={k} href={safeHref(match[1])} target="_blank" rel="noopener noreferrer">
          {unescapeSlack(match[2] ?? '')}
        </a>,
      );
    else if (match[3] !== undefined) out.push(<strong key={k}>{unescapeSlack(match[3])}</strong>);
    else out.push(<em key={k}>{unescapeSlack(match[4] ?? '')}</em>);
    last = at + match[0].length;
  }
  if (last < text.length) out.push(unescapeSlack(text.slice(last)));
  return out;
}

function Mrkdwn({ text }: { text: string }) {
  return (
    <div className="slack-mrkdwn">
      {text.split('\n').map((line, n) =>
        line.startsWith('> ') ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of one fixed text
          <blockquote key={n}>{inline(line.slice(2), `l${n}`)}</blockquote>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of one fixed text
          <Fragment key={n}>
            {inline(line, `l${n}`)}
            <br />
          </Fragment>
        ),
      )}
    </div>
  );
}

const textOf = (value: unknown) => (value as { text?: string } | undefined)?.text ?? '';

export function SlackBlocks({ blocks }: { blocks: Block[] }) {
  return (
    <div className="slack-blocks" data-testid="digest-blocks">
      {blocks.map((block, n) => {
        const key = `${block.type}-${n}`;
        switch (block.type) {
          case 'header':
            return (
              <h2 key={key} className="slack-blocks__header">
                {textOf(block.text)}
              </h2>
            );
          case 'context':
            return (
              <div key={key} className="muted">
                {((block.elements as unknown[]) ?? []).map((e, m) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: elements of one fixed block
                  <Mrkdwn key={m} text={textOf(e)} />
                ))}
              </div>
            );
          case 'section':
            return <Mrkdwn key={key} text={textOf(block.text)} />;
          case 'divider':
            return <hr key={key} />;
          case 'actions':
            return (
              <p key={key}>
                {((block.elements as { url?: string; text?: unknown }[]) ?? []).map((e) => (
                  <a key={e.url} className="slack-blocks__button" href={safeHref(e.url ?? '')}>
                    {textOf(e.text)}
                  </a>
                ))}
              </p>
            );
          default:
            return null;
        }
      })}
    </div>
  );
}
