import type { SnippetSegment } from '../../../../contract/reporting.ts';

/**
 * A quoted passage: its matched words in <mark>. React builds every element and escapes every text, so a
 * quote can never inject markup (no innerHTML anywhere).
 */
export function QuoteText({ segments }: { segments: readonly SnippetSegment[] }) {
  return (
    <>
      {segments.map((segment, index) =>
        segment.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
          <mark key={index}>{segment.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
          <span key={index}>{segment.text}</span>
        ),
      )}
    </>
  );
}

/** The plain text of a quote (for titles and the report's CSV-like summaries). */
export const quotePlain = (segments: readonly SnippetSegment[]) => segments.map((s) => s.text).join('');
