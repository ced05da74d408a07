import { Button } from '@leafygreen-ui/button';
import { type FormEvent, useState } from 'react';
import type { BugReport } from '../../../../contract/api/bug-reports.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useAddNote } from './queries.ts';

/** The triage thread of a report, oldest first, and a box to add a note (notes are never edited). */
export function NotesThread({ report }: { report: BugReport }) {
  const [text, setText] = useState('');
  const add = useAddNote();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ id: report.id, body: text.trim() }, { onSuccess: () => setText('') });
  };
  return (
    <section className="bug-notes" aria-label={`Notes on the report from ${report.reporter.name}`}>
      {report.notes.length > 0 && (
        <ol className="bug-notes__list">
          {report.notes.map((note) => (
            <li key={note.id} className="bug-notes__note">
              <span className="muted">
                {note.author.name} · {dateTime(note.createdAt)}
              </span>
              <p>{note.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={submit} className="bug-notes__form">
        <label className="textarea-field">
          <span className="textarea-field__label">Add a note</span>
          <span className="muted">What you found, for the next admin. Notes cannot be edited.</span>
          <textarea
            name="note"
            rows={2}
            maxLength={LIMITS.noteBody}
            value={text}
            onChange={(change) => setText(change.target.value)}
          />
        </label>
        <Button type="submit" size="small" disabled={add.isPending || text.trim() === ''}>
          Add note
        </Button>
      </form>
      <ProblemNotice error={add.error} what="Couldn't add the note" />
    </section>
  );
}
