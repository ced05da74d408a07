import { Banner } from '@leafygreen-ui/banner';
import { ApiError, errorMessage, isStepUpRequired } from '../../ui/api.ts';

/** "body.model.mfa.requiredFor" → "model.mfa.requiredFor": the field as the form knows it. */
const fieldName = (field: string) => field.replace(/^(body|query|params)\.?/, '') || 'request';

/**
 * What went wrong with a request: the problem's detail and its field errors. A step-up answer shows nothing
 * here; StepUpBanner (one place, top of the page) offers "Verify it's you".
 */
export function ProblemNotice({ error, what }: { error: unknown; what?: string }) {
  if (error === null || error === undefined || isStepUpRequired(error)) return null;
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <Banner variant="danger" className="problem" data-testid="problem">
      <span>
        {what !== undefined ? `${what}: ` : ''}
        {errorMessage(error)}
      </span>
      {fields.length > 0 && (
        <ul className="problem__fields">
          {fields.map((item) => (
            <li key={`${item.field}:${item.message}`}>
              <code>{fieldName(item.field)}</code> {item.message}
            </li>
          ))}
        </ul>
      )}
    </Banner>
  );
}
