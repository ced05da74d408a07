import type { FormQuestion, FormTemplateList } from '../../../contract/api/forms.ts';
import { FORM_TEMPLATES, type FormTemplate } from '../../../contract/program.ts';
import { type InsightType, labelOf } from '../../../contract/taxonomy.ts';

/**
 * The templates the form builder starts from: their questions, default title and description, and the insight
 * type a response becomes when the form has no "feedback type" question. Question ids are stable keys: answers
 * are stored under them, so a template's ids never change once forms use them.
 */

type Template = {
  title: string;
  description: string | null;
  /** The insight type of a response without an insight_type answer. */
  insightType: InsightType;
  questions: FormQuestion[];
};

const q = (question: Omit<FormQuestion, 'required'> & { required?: boolean }): FormQuestion => ({
  required: false,
  ...question,
});

const role = q({
  id: 'role',
  type: 'developer_role',
  label: 'What is your role?',
  help: 'For example: backend developer, data engineer, architect',
});
const company = q({ id: 'company', type: 'company', label: 'Which company or organisation are you with?' });
const areas = q({
  id: 'product_areas',
  type: 'product_area',
  label: 'Which products does your feedback concern?',
});

export const TEMPLATES: Record<FormTemplate, Template> = {
  event_feedback: {
    title: 'How was the event?',
    description:
      'Two minutes of your time helps us make the next one better. Every question is optional except the first.',
    insightType: 'other',
    questions: [
      q({ id: 'overall', type: 'rating', label: 'Overall, how would you rate the event?', required: true }),
      q({ id: 'liked', type: 'long_text', label: 'What worked well for you?' }),
      q({ id: 'improve', type: 'long_text', label: 'What should we do better?' }),
      areas,
      role,
      company,
    ],
  },
  workshop: {
    title: 'How was the session?',
    description: 'Tell us what helped and where you got stuck, so the next workshop works better.',
    insightType: 'other',
    questions: [
      q({ id: 'useful', type: 'rating', label: 'How useful was this session for you?', required: true }),
      q({
        id: 'pace',
        type: 'single_choice',
        label: 'How was the pace?',
        options: ['Too slow', 'About right', 'Too fast'],
      }),
      q({ id: 'stuck', type: 'long_text', label: 'Where did you get stuck, if anywhere?' }),
      q({ id: 'next', type: 'long_text', label: 'What would you like to learn next?' }),
      areas,
      role,
    ],
  },
  feature_request: {
    title: 'What should we build next?',
    description: 'Describe what you are trying to do and what is missing. We read every answer.',
    insightType: 'feature_request',
    questions: [
      q({
        id: 'request',
        type: 'long_text',
        label: 'What would you like us to build or change?',
        required: true,
      }),
      q({ id: 'why', type: 'long_text', label: 'What would it let you do that you cannot do today?' }),
      q({ id: 'workaround', type: 'short_text', label: 'What do you use or do instead today?' }),
      areas,
      q({ id: 'importance', type: 'priority', label: 'How important is this to you?' }),
      role,
      company,
    ],
  },
  blank: {
    title: 'Share your feedback',
    description: null,
    insightType: 'other',
    questions: [q({ id: 'feedback', type: 'long_text', label: 'Your feedback', required: true })],
  },
};

/**
 * Shown beside the consent checkbox unless the owner writes their own. It says what is collected, who reads it,
 * what is not collected, and how to ask for removal — what a person needs to decide before sending.
 */
export const DEFAULT_CONSENT_TEXT =
  'I agree that my answers are stored by the Developer Relations team and used to improve our products and ' +
  'events. Only that team and its managers can read individual answers; they may be quoted without my name in ' +
  'internal reports. This form does not ask for my name or e-mail, and my IP address is not stored. To have ' +
  'my answers removed, I can ask the person who shared this form.';

export function templateOf(id: FormTemplate): Template {
  return TEMPLATES[id];
}

export function templateList(): FormTemplateList {
  return {
    items: FORM_TEMPLATES.map(({ id }) => ({
      id,
      label: labelOf(FORM_TEMPLATES, id),
      title: TEMPLATES[id].title,
      description: TEMPLATES[id].description,
      questions: TEMPLATES[id].questions,
    })),
    defaultConsentText: DEFAULT_CONSENT_TEXT,
  };
}
