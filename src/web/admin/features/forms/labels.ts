import type { FeedbackForm } from '../../../../contract/api/forms.ts';
import { FORM_QUESTION_TYPES, FORM_STATUSES, FORM_TEMPLATES } from '../../../../contract/program.ts';

export type FormStatus = (typeof FORM_STATUSES)[number]['id'];

const labelOf = (list: readonly { id: string; label: string }[], id: string) =>
  list.find((entry) => entry.id === id)?.label ?? id;

export const statusLabel = (status: FormStatus) => labelOf(FORM_STATUSES, status);
export const questionTypeLabel = (type: string) => labelOf(FORM_QUESTION_TYPES, type);
export const templateLabel = (template: string) => labelOf(FORM_TEMPLATES, template);

export const STATUS_BADGE = { draft: 'lightgray', open: 'green', closed: 'darkgray' } as const;

/** Why the public page refuses answers right now, in words; null while it accepts them. */
export function closedText(form: Pick<FeedbackForm, 'closedReason'>): string | null {
  switch (form.closedReason) {
    case 'draft':
      return 'Not open yet: the public page accepts answers once you open the form.';
    case 'closed':
      return 'Closed: the public page no longer accepts answers.';
    case 'past_closing_date':
      return 'Past its closing date: the public page no longer accepts answers.';
    case 'cap_reached':
      return 'The response cap is reached: the public page no longer accepts answers.';
    case null:
      return null;
  }
}

/** "12 / 200" or "12" without a cap. */
export const responsesText = (form: Pick<FeedbackForm, 'responseCount' | 'responseCap'>) =>
  form.responseCap === null ? String(form.responseCount) : `${form.responseCount} / ${form.responseCap}`;
