import { Button } from '@leafygreen-ui/button';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { type CommentTargetType, WORKSPACE_LIMITS } from '../../../../contract/api/workspace.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useComments, useMentions, usePostComment } from './queries.ts';
import { Field, MentionText } from './workspaceUi.tsx';

/** The comment thread on one decision, risk, workstream or phase, and the form to add to it. */
export function CommentThread({ targetType, targetId }: { targetType: CommentTargetType; targetId: string }) {
  const comments = useComments(targetType, targetId);
  const post = usePostComment(targetType, targetId);
  const [body, setBody] = useState('');

  return (
    <section className="ws-thread" aria-label="Comments" data-testid="comment-thread">
      <H3>Comments</H3>
      {comments.isPending && <Body aria-live="polite">Loading…</Body>}
      {comments.isError && <ProblemNotice error={comments.error} what="Couldn't load the comments" />}
      {comments.data && comments.data.items.length === 0 && <Body className="empty">No comments yet.</Body>}
      {comments.data && comments.data.items.length > 0 && (
        <ol className="ws-thread__list">
          {comments.data.items.map((comment) => (
            <li key={comment.id} className="ws-comment" data-testid="comment">
              <div className="ws-comment__meta">
                <strong>{comment.author?.name ?? 'Someone no longer here'}</strong>{' '}
                <span className="muted">{dateTime(comment.createdAt)}</span>
              </div>
              <MentionText body={comment.body} mentions={comment.mentions} />
            </li>
          ))}
        </ol>
      )}
      <form
        className="ws-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (body.trim() === '') return;
          post.mutate(body, { onSuccess: () => setBody('') });
        }}
      >
        <Field label="Add a comment (mention someone with @first.last)">
          {(id) => (
            <textarea
              id={id}
              rows={3}
              value={body}
              maxLength={WORKSPACE_LIMITS.commentBody}
              onChange={(event) => setBody(event.target.value)}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" disabled={post.isPending || body.trim() === ''}>
          Comment
        </Button>
        <ProblemNotice error={post.error} what="Couldn't post the comment" />
      </form>
    </section>
  );
}

const TARGET_PATH: Record<CommentTargetType, (id: string) => string> = {
  decision: (id) => `/admin/decisions/${id}`,
  risk: (id) => `/admin/workspace/risk/${id}`,
  workstream: (id) => `/admin/workspace/workstream/${id}`,
  phase: (id) => `/admin/workspace/phase/${encodeURIComponent(id)}`,
};

/** "Mentions of you": comments that @mention the signed-in person, newest first. */
export function MentionsOfYou() {
  const mentions = useMentions();
  return (
    <section className="ws-section" aria-labelledby="ws-mentions" data-testid="mentions">
      <H3 id="ws-mentions">Mentions of you</H3>
      {mentions.isError && (
        <Body className="muted">Couldn't load your mentions: {errorMessage(mentions.error)}</Body>
      )}
      {mentions.data && mentions.data.items.length === 0 && (
        <Body className="empty">Nobody has mentioned you yet.</Body>
      )}
      {mentions.data && mentions.data.items.length > 0 && (
        <ol className="ws-thread__list">
          {mentions.data.items.map((comment) => (
            <li key={comment.id} className="ws-comment">
              <div className="ws-comment__meta">
                <strong>{comment.author?.name ?? 'Someone no longer here'}</strong> on{' '}
                <AppLink to={TARGET_PATH[comment.targetType](comment.targetId)}>
                  {comment.targetLabel}
                </AppLink>{' '}
                <span className="muted">{dateTime(comment.createdAt)}</span>
              </div>
              <MentionText body={comment.body} mentions={comment.mentions} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
