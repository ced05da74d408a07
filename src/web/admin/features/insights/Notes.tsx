import { Button } from '@leafygreen-ui/button';
import { useState } from 'react';
import type { Note } from '../../../../contract/api/social.ts';
import { dateTime, relativeTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { MentionTextarea } from './MentionTextarea.tsx';
import { type MentionPerson, mentionIds } from './mentions.ts';
import { useAddNote } from './queries.ts';
import { NoteBody } from './Snippet.tsx';

/** Writes one note (or a reply): one client id per draft, so a retried send stores it once. */
function Composer(props: { insightId: string; parentId: string | null; onDone?: () => void; label: string }) {
  const { insightId, parentId, onDone, label } = props;
  const add = useAddNote(insightId);
  const [body, setBody] = useState('');
  const [picked, setPicked] = useState<MentionPerson[]>([]);
  const [id, setId] = useState(() => crypto.randomUUID());
  return (
    <form
      className="note-composer"
      data-testid={parentId === null ? 'note-composer' : 'reply-composer'}
      onSubmit={(event) => {
        event.preventDefault();
        const text = body.trim();
        if (text === '') return;
        add.mutate(
          { id, body: text, parentId, mentions: mentionIds(text, picked) },
          {
            onSuccess: () => {
              setBody('');
              setPicked([]);
              setId(crypto.randomUUID());
              onDone?.();
            },
          },
        );
      }}
    >
      <MentionTextarea
        label={label}
        value={body}
        onChange={setBody}
        onMention={(person) => setPicked((list) => [...list, person])}
        disabled={add.isPending}
        autoFocus={parentId !== null}
      />
      <ProblemNotice error={add.error} what="Couldn't add the note" />
      <div className="row-actions">
        <Button type="submit" size="small" variant="primary" disabled={add.isPending || body.trim() === ''}>
          {parentId === null ? 'Add note' : 'Reply'}
        </Button>
        {onDone !== undefined && (
          <Button size="small" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

function NoteItem({ note }: { note: Note }) {
  return (
    <article className="note" data-testid="note" aria-label={`Note by ${note.author.name}`}>
      <header className="note__head">
        <strong>{note.author.name}</strong>{' '}
        <time dateTime={note.createdAt} title={dateTime(note.createdAt)} className="muted">
          {relativeTime(note.createdAt)}
        </time>
      </header>
      <NoteBody body={note.body} mentions={note.mentions} />
    </article>
  );
}

/** Team notes as threads: each note with its replies (one level; replying to a reply joins its thread). */
export function Notes({
  insightId,
  notes,
  canWrite,
}: {
  insightId: string;
  notes: Note[];
  canWrite: boolean;
}) {
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const ids = new Set(notes.map((n) => n.id));
  const roots = notes.filter((n) => n.parentId === null || !ids.has(n.parentId));
  const rootOf = new Map<string, string>();
  for (const note of notes)
    rootOf.set(note.id, note.parentId !== null && ids.has(note.parentId) ? note.parentId : note.id);
  // Replies to replies (if any arrive) are shown in the top thread they belong to.
  const top = (id: string): string => {
    let current = id;
    for (let hops = 0; hops < 10; hops += 1) {
      const parent = rootOf.get(current);
      if (parent === undefined || parent === current) return current;
      current = parent;
    }
    return current;
  };
  const replies = (rootId: string) => notes.filter((n) => n.id !== rootId && top(n.id) === rootId);

  return (
    <section className="drawer__section" aria-labelledby="notes-heading">
      <h3 id="notes-heading">Team notes ({notes.length})</h3>
      {notes.length === 0 && <p className="muted">No notes yet.</p>}
      <ol className="threads">
        {roots.map((root) => (
          <li key={root.id} className="thread" data-testid="thread">
            <NoteItem note={root} />
            {replies(root.id).length > 0 && (
              <ol className="thread__replies">
                {replies(root.id).map((reply) => (
                  <li key={reply.id}>
                    <NoteItem note={reply} />
                  </li>
                ))}
              </ol>
            )}
            {canWrite &&
              (replyTo === root.id ? (
                <Composer
                  insightId={insightId}
                  parentId={root.id}
                  label={`Reply to ${root.author.name}`}
                  onDone={() => setReplyTo(null)}
                />
              ) : (
                <Button size="xsmall" onClick={() => setReplyTo(root.id)}>
                  Reply
                </Button>
              ))}
          </li>
        ))}
      </ol>
      {canWrite && <Composer insightId={insightId} parentId={null} label="Add a note" />}
    </section>
  );
}
