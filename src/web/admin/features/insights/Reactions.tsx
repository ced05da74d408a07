import { REACTION_TEXT, type ReactionCount } from '../../../../contract/api/social.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useReaction } from './queries.ts';

/** Reaction toggles (pressed when I reacted); viewers see the counts only. */
export function Reactions({
  insightId,
  reactions,
  canReact,
}: {
  insightId: string;
  reactions: ReactionCount[];
  canReact: boolean;
}) {
  const toggle = useReaction(insightId);
  return (
    <section className="drawer__section" aria-labelledby="reactions-heading">
      <h3 id="reactions-heading">Reactions</h3>
      <div className="reactions" data-testid="reactions">
        {reactions.map((r) => {
          const { emoji, label } = REACTION_TEXT[r.reaction];
          const text = `${label}: ${r.count}`;
          return canReact ? (
            <button
              key={r.reaction}
              type="button"
              className="reaction"
              aria-pressed={r.mine}
              aria-label={text}
              title={r.mine ? `Take back your ${label.toLowerCase()}` : label}
              disabled={toggle.isPending}
              onClick={() => toggle.mutate({ reaction: r.reaction, present: !r.mine })}
            >
              <span aria-hidden="true">{emoji}</span> {r.count}
            </button>
          ) : (
            <span key={r.reaction} className="reaction reaction--static" title={label}>
              <span aria-hidden="true">{emoji}</span>
              <span className="visually-hidden">{label}:</span> {r.count}
            </span>
          );
        })}
      </div>
      <ProblemNotice error={toggle.error} what="Couldn't react" />
    </section>
  );
}
