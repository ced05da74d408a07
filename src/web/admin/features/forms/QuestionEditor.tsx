import { Button } from '@leafygreen-ui/button';
import { useId } from 'react';
import { LIMITS } from '../../../../contract/limits.ts';
import { FORM_QUESTION_TYPES, type FormQuestionType } from '../../../../contract/program.ts';
import { type FieldErrors, isChoice, newQuestion, type QuestionDraft } from './draft.ts';

const isType = (value: string): value is FormQuestionType => FORM_QUESTION_TYPES.some((t) => t.id === value);

/** Add, remove, reorder and edit the questions; choice questions get an options editor. */
export function QuestionEditor({
  questions,
  onChange,
  errors,
}: {
  questions: QuestionDraft[];
  onChange: (questions: QuestionDraft[]) => void;
  errors: FieldErrors;
}) {
  const replace = (index: number, question: QuestionDraft) =>
    onChange(questions.map((q, i) => (i === index ? question : q)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...questions];
    const [moved] = next.splice(index, 1);
    if (moved === undefined) return;
    next.splice(index + by, 0, moved);
    onChange(next);
  };
  const full = questions.length >= LIMITS.formQuestions;
  return (
    <section className="forms-questions" aria-labelledby="questions-heading">
      <h2 id="questions-heading" className="forms-questions__title">
        Questions
      </h2>
      <p className="muted">
        The insight's text is made of the answers, so keep at least one text or rating question. The “→
        insight” types fill that field of the insight with the taxonomy's choices.
      </p>
      {errors.questions !== undefined && (
        <p className="forms-field__error" role="alert">
          {errors.questions}
        </p>
      )}
      <ol className="forms-questions__list">
        {questions.map((question, index) => (
          <li key={question.id}>
            <QuestionCard
              question={question}
              index={index}
              count={questions.length}
              errors={errors}
              onChange={(next) => replace(index, next)}
              onMove={(by) => move(index, by)}
              onRemove={() => onChange(questions.filter((_, i) => i !== index))}
            />
          </li>
        ))}
      </ol>
      <div>
        <Button onClick={() => onChange([...questions, newQuestion(questions)])} disabled={full}>
          Add question
        </Button>
        {full && <span className="muted"> A form has at most {LIMITS.formQuestions} questions.</span>}
      </div>
    </section>
  );
}

interface CardProps {
  question: QuestionDraft;
  index: number;
  count: number;
  errors: FieldErrors;
  onChange: (question: QuestionDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

function QuestionCard({ question, index, count, errors, onChange, onMove, onRemove }: CardProps) {
  const ids = { type: useId(), label: useId(), help: useId(), required: useId() };
  const n = index + 1;
  const key = `questions.${index}`;
  const labelError = errors[`${key}.label`];
  const helpError = errors[`${key}.help`];
  const typeError = errors[`${key}.type`] ?? errors[`${key}.id`] ?? errors[key];
  const setType = (type: FormQuestionType) =>
    onChange({
      ...question,
      type,
      // Choice questions start with two empty choices; other types take none (the contract refuses them).
      options: isChoice(type) ? (question.options.length > 0 ? question.options : ['', '']) : [],
    });
  return (
    <fieldset className="forms-question" data-testid="question">
      <legend className="forms-question__legend">Question {n}</legend>
      <div className="forms-question__row">
        <div className="forms-field">
          <label className="forms-field__label" htmlFor={ids.type}>
            Type
          </label>
          <select
            id={ids.type}
            className="forms-field__input"
            value={question.type}
            aria-invalid={typeError !== undefined ? true : undefined}
            onChange={(change) => isType(change.target.value) && setType(change.target.value)}
          >
            {FORM_QUESTION_TYPES.map((type) => (
              <option key={type.id} value={type.id}>
                {type.label}
              </option>
            ))}
          </select>
          {typeError !== undefined && <span className="forms-field__error">{typeError}</span>}
        </div>
        <label className="forms-check" htmlFor={ids.required}>
          <input
            id={ids.required}
            type="checkbox"
            checked={question.required}
            onChange={(change) => onChange({ ...question, required: change.target.checked })}
          />
          Required
        </label>
      </div>
      <div className="forms-field">
        <label className="forms-field__label" htmlFor={ids.label}>
          Question text
        </label>
        <input
          id={ids.label}
          className="forms-field__input"
          value={question.label}
          maxLength={LIMITS.formQuestionLabel}
          aria-invalid={labelError !== undefined ? true : undefined}
          onChange={(change) => onChange({ ...question, label: change.target.value })}
        />
        {labelError !== undefined && <span className="forms-field__error">{labelError}</span>}
      </div>
      <div className="forms-field">
        <label className="forms-field__label" htmlFor={ids.help}>
          Help text (optional)
        </label>
        <input
          id={ids.help}
          className="forms-field__input"
          value={question.help}
          maxLength={LIMITS.formQuestionLabel}
          aria-invalid={helpError !== undefined ? true : undefined}
          onChange={(change) => onChange({ ...question, help: change.target.value })}
        />
        {helpError !== undefined && <span className="forms-field__error">{helpError}</span>}
      </div>
      {isChoice(question.type) && (
        <OptionsEditor
          n={n}
          options={question.options}
          errors={errors}
          errorKey={`${key}.options`}
          onChange={(options) => onChange({ ...question, options })}
        />
      )}
      <div className="forms-question__actions">
        <Button
          size="xsmall"
          onClick={() => onMove(-1)}
          disabled={index === 0}
          aria-label={`Move question ${n} up`}
        >
          Move up
        </Button>
        <Button
          size="xsmall"
          onClick={() => onMove(1)}
          disabled={index === count - 1}
          aria-label={`Move question ${n} down`}
        >
          Move down
        </Button>
        <Button size="xsmall" onClick={onRemove} disabled={count === 1} aria-label={`Remove question ${n}`}>
          Remove
        </Button>
      </div>
    </fieldset>
  );
}

function OptionsEditor({
  n,
  options,
  errors,
  errorKey,
  onChange,
}: {
  n: number;
  options: string[];
  errors: FieldErrors;
  errorKey: string;
  onChange: (options: string[]) => void;
}) {
  const listError = errors[errorKey];
  return (
    <fieldset className="forms-options">
      <legend className="forms-field__label">Choices of question {n}</legend>
      {listError !== undefined && <span className="forms-field__error">{listError}</span>}
      <ol className="forms-options__list">
        {options.map((option, i) => {
          const error = errors[`${errorKey}.${i}`];
          return (
            // Choices have no id of their own; their position is their identity while editing.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i} className="forms-options__item">
              <input
                className="forms-field__input"
                aria-label={`Question ${n}, choice ${i + 1}`}
                value={option}
                maxLength={LIMITS.formChoice}
                aria-invalid={error !== undefined ? true : undefined}
                onChange={(change) => onChange(options.map((o, j) => (j === i ? change.target.value : o)))}
              />
              <Button
                size="xsmall"
                aria-label={`Remove choice ${i + 1} of question ${n}`}
                onClick={() => onChange(options.filter((_, j) => j !== i))}
              >
                Remove
              </Button>
              {error !== undefined && <span className="forms-field__error">{error}</span>}
            </li>
          );
        })}
      </ol>
      <div>
        <Button
          size="xsmall"
          onClick={() => onChange([...options, ''])}
          disabled={options.length >= LIMITS.formChoices}
        >
          Add choice
        </Button>
      </div>
    </fieldset>
  );
}
