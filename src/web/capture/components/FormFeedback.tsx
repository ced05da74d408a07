import type { Feedback } from '../useCapture.ts';

/**
 * The outcome of the last save. The status region is always in the page so assistive technology announces
 * "Saved"; an alert is added only when something needs attention.
 */
export function FormFeedback({ feedback }: { feedback: Feedback | null }) {
  return (
    <>
      <p role="status" className={feedback?.kind === 'saved' ? 'feedback feedback--saved' : 'feedback'}>
        {feedback?.kind === 'saved' ? feedback.message : ''}
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
