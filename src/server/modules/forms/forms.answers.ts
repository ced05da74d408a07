import type { FormQuestion } from '../../../contract/api/forms.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { FieldError } from '../../../contract/problem.ts';
import {
  INSIGHT_TYPES,
  type InsightType,
  idsOf,
  PRIORITIES,
  PRODUCT_AREAS,
  type Priority,
  type ProductArea,
  SENTIMENTS,
  type Sentiment,
  type TaxonomyEntry,
} from '../../../contract/taxonomy.ts';

/**
 * Answers checked against a form's questions, and how a valid set becomes the insight (the contract's header in
 * contract/api/forms.ts states the mapping). Pure functions: the JSON endpoint and the HTML page share them.
 */

export type Answer = string | number | string[];
export type Answers = Record<string, Answer>;

/** The taxonomy a mapped question offers (its choices on the public page, its accepted ids). */
export const TAXONOMY_OF: Partial<Record<FormQuestion['type'], readonly TaxonomyEntry[]>> = {
  insight_type: INSIGHT_TYPES,
  product_area: PRODUCT_AREAS,
  sentiment: SENTIMENTS,
  priority: PRIORITIES,
};

/** Choices of a question as [value, label] pairs: the owner's options, or the mapped taxonomy's entries. */
export function choicesOf(question: FormQuestion): [string, string][] {
  const taxonomy = TAXONOMY_OF[question.type];
  if (taxonomy) return taxonomy.map((e) => [e.id, e.label]);
  return (question.options ?? []).map((o) => [o, o]);
}

export const isMulti = (q: FormQuestion) => q.type === 'multi_choice' || q.type === 'product_area';
const isText = (q: FormQuestion) =>
  q.type === 'short_text' || q.type === 'long_text' || q.type === 'developer_role' || q.type === 'company';
/** Developer info fields are bounded like the insight's own developer fields. */
const maxLength = (q: FormQuestion) =>
  q.type === 'developer_role' || q.type === 'company' ? LIMITS.developerField : LIMITS.formAnswer;
const maxChoices = (q: FormQuestion) =>
  q.type === 'product_area' ? LIMITS.productAreasPerInsight : LIMITS.formChoices;

/**
 * Check one answer; returns the normalized value (trimmed text, de-duplicated choices), undefined when it is
 * empty, or an error message.
 */
function checkAnswer(q: FormQuestion, value: Answer): { value?: Answer; error?: string } {
  if (q.type === 'rating') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5)
      return { error: 'must be a whole number from 1 to 5' };
    return { value };
  }
  if (isMulti(q)) {
    if (!Array.isArray(value)) return { error: 'must be a list of the offered choices' };
    const picked = [...new Set(value)];
    if (picked.length === 0) return {};
    const allowed = new Set(choicesOf(q).map(([v]) => v));
    if (picked.some((v) => !allowed.has(v))) return { error: 'must only contain the offered choices' };
    if (picked.length > maxChoices(q)) return { error: `must have at most ${maxChoices(q)} choices` };
    return { value: picked };
  }
  if (typeof value !== 'string')
    return { error: isText(q) ? 'must be text' : 'must be one of the offered choices' };
  const text = value.trim();
  if (text === '') return {};
  if (isText(q)) {
    if (text.length > maxLength(q)) return { error: `must be at most ${maxLength(q)} characters` };
    return { value: text };
  }
  if (!choicesOf(q).some(([v]) => v === text)) return { error: 'must be one of the offered choices' };
  return { value: text };
}

/**
 * Answers keyed by question id, checked against the questions: unknown ids, wrong types, choices outside the
 * options, ratings outside 1–5, missing required answers. Fields are named `${prefix}.<questionId>`. Empty
 * answers are dropped; what is returned is what gets stored.
 */
export function checkAnswers(
  questions: readonly FormQuestion[],
  raw: Readonly<Record<string, Answer>>,
  prefix: string,
): { answers: Answers; errors: FieldError[] } {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const errors: FieldError[] = [];
  const answers: Answers = {};
  for (const id of Object.keys(raw)) {
    if (!byId.has(id)) errors.push({ field: `${prefix}.${id}`, message: 'is not a question of this form' });
  }
  for (const q of questions) {
    const value = raw[q.id];
    const checked = value === undefined ? {} : checkAnswer(q, value);
    if (checked.error) errors.push({ field: `${prefix}.${q.id}`, message: checked.error });
    else if (checked.value !== undefined) answers[q.id] = checked.value;
    else if (q.required) errors.push({ field: `${prefix}.${q.id}`, message: 'is required' });
  }
  if (errors.length > 0) return { answers, errors };
  const text = insightText(questions, answers);
  if (text.length > LIMITS.insightText) {
    // Name the longest text answer: shortening it is what helps.
    const longest = questions
      .filter((q) => typeof answers[q.id] === 'string' && isText(q))
      .sort((a, b) => String(answers[b.id]).length - String(answers[a.id]).length)[0];
    errors.push({
      field: `${prefix}.${longest?.id ?? questions[0]?.id ?? 'answers'}`,
      message: `together the answers are ${text.length} characters; at most ${LIMITS.insightText} fit, shorten this one`,
    });
  } else if (text === '') {
    const first = questions.find((q) => isText(q) || q.type === 'rating');
    errors.push({
      field: `${prefix}.${first?.id ?? 'answers'}`,
      message: 'answer at least one text or rating question, so the feedback has something to say',
    });
  }
  return { answers, errors };
}

/** "Label: answer" per answer that does not fill an insight field, in question order. */
export function insightText(questions: readonly FormQuestion[], answers: Answers): string {
  const lines: string[] = [];
  for (const q of questions) {
    const value = answers[q.id];
    if (value === undefined || q.type in TAXONOMY_OF || q.type === 'developer_role' || q.type === 'company')
      continue;
    const shown =
      q.type === 'rating' ? `${value}/5` : Array.isArray(value) ? value.join(', ') : String(value);
    lines.push(`${q.label}: ${shown}`);
  }
  return lines.join('\n');
}

const SENTIMENT_OF_RATING: Record<number, Sentiment> = {
  1: 'negative',
  2: 'negative',
  3: 'neutral',
  4: 'positive',
  5: 'positive',
};

export interface InsightFields {
  text: string;
  type: InsightType;
  productAreas: ProductArea[];
  sentiment: Sentiment;
  priority: Priority;
  developer: { role?: string; company?: string } | null;
}

const TYPE_IDS = new Set<string>(idsOf(INSIGHT_TYPES));

/**
 * The insight a checked set of answers becomes. A mapped question fills its field; without a sentiment answer
 * the first answered rating sets it (1–2 negative, 3 neutral, 4–5 positive); anything unanswered takes the
 * template's type, or neutral sentiment and medium priority.
 */
export function toInsightFields(
  questions: readonly FormQuestion[],
  answers: Answers,
  defaults: { type: InsightType },
): InsightFields {
  const first = (type: FormQuestion['type']) => {
    const q = questions.find((x) => x.type === type && answers[x.id] !== undefined);
    return q ? answers[q.id] : undefined;
  };
  const rating = first('rating');
  const type = first('insight_type');
  const developer: { role?: string; company?: string } = {};
  const role = first('developer_role');
  const company = first('company');
  if (typeof role === 'string') developer.role = role;
  if (typeof company === 'string') developer.company = company;
  const areas = questions
    .filter((q) => q.type === 'product_area')
    .flatMap((q) => (Array.isArray(answers[q.id]) ? (answers[q.id] as string[]) : []));
  return {
    text: insightText(questions, answers),
    type: typeof type === 'string' && TYPE_IDS.has(type) ? (type as InsightType) : defaults.type,
    productAreas: [...new Set(areas)].slice(0, LIMITS.productAreasPerInsight) as ProductArea[],
    sentiment:
      (first('sentiment') as Sentiment | undefined) ??
      (typeof rating === 'number' ? SENTIMENT_OF_RATING[rating] : undefined) ??
      'neutral',
    priority: (first('priority') as Priority | undefined) ?? 'medium',
    developer: Object.keys(developer).length > 0 ? developer : null,
  };
}
