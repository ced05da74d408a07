import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MentionPage } from '../../../../contract/api/social.ts';
import { api } from '../../../ui/api.ts';
import { relativeTime, truncate } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { insightHref } from './filterUrl.ts';
import { NoteBody } from './Snippet.tsx';

/** Notes that @mention me, newest first (only on insights I can read); loaded when opened. */
export function MyMentions() {
  const [open, setOpen] = useState(false);
  const pages = useInfiniteQuery({
    queryKey: ['insights', 'my-mentions'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.get<MentionPage>('/api/v1/me/mentions', { limit: 10, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
    enabled: open,
  });
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <details
      className="saved-views my-mentions"
      data-testid="my-mentions"
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>Notes that mention you</summary>
      {pages.isError && <ProblemNotice error={pages.error} what="Couldn't load your mentions" />}
      {pages.isSuccess && items.length === 0 && <p className="muted">Nobody has mentioned you yet.</p>}
      {items.length > 0 && (
        <ul className="saved-views__list">
          {items.map(({ note, insight }) => (
            <li key={note.id} className="my-mentions__item">
              <span>
                <strong>{note.author.name}</strong>{' '}
                <span className="muted">
                  {relativeTime(note.createdAt)} on{' '}
                  <AppLink to={insightHref(insight.id)}>
                    {insight.title ?? truncate(insight.excerpt, 60)}
                  </AppLink>
                </span>
              </span>
              <NoteBody body={note.body} mentions={note.mentions} />
            </li>
          ))}
        </ul>
      )}
      <LoadMore pages={pages} size="small" />
    </details>
  );
}
