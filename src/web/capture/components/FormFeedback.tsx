import type { Feedback } from '../feedback.ts';

/**
 * The outcome of the last action. The status region is always in the page so assistive technology announces
 * "Saved"; an alert is added only when something needs attention.
 */
export function FormFeedback({ feedback }: { feedback: Feedback | null }) {
  const status = feedback !== null && feedback.kind !== 'error' ? feedback : null;
  return (
    <>
      <p
        role="status"
        aria-live="polite"
        className={status === null ? 'feedback' : `feedback feedback--${status.kind}`}
      >
        {status?.message ?? ''}
      </p>
      {feedback?.kind === 'error' && (
        <div role="alert" className="feedback feedback--error">
          <p>{feedback.detail}</p>
          {feedback.fields.length > 0 && (
            <ul>
              {feedback.fields.map((item) => (
                <li key={`${item.label}:${item.message}`}>
                  <strong>{item.label}</strong>: {item.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}
