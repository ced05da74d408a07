import { Fragment } from 'react';
import type { SnippetSegment } from '../../../../contract/reporting.ts';
import { type MentionPerson, mentionSegments } from './mentions.ts';

/**
 * A search snippet: the server's segments as text, matched words in <mark> elements React builds. Never HTML
 * from the server: a segment reading "<b>" shows as "<b>".
 */
export function Snippet({ segments }: { segments: readonly SnippetSegment[] }) {
  return (
    <span className="snippet" data-testid="snippet">
      {segments.map((segment, index) =>
        segment.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
          <mark key={index}>{segment.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
          <Fragment key={index}>{segment.text}</Fragment>
        ),
      )}
    </span>
  );
}

/** A note body with its @mentions highlighted (only people the server says the note mentions). */
export function NoteBody({ body, mentions }: { body: string; mentions: readonly MentionPerson[] }) {
  return (
    <p className="note__body">
      {mentionSegments(body, mentions).map((segment, index) =>
        'person' in segment ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
          <mark key={index} className="mention" data-person-id={segment.person.id}>
            {segment.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
          <Fragment key={index}>{segment.text}</Fragment>
        ),
      )}
    </p>
  );
}
