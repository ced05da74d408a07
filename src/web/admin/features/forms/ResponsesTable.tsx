import { Banner } from '@leafygreen-ui/banner';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body } from '@leafygreen-ui/typography';
import type { FeedbackForm } from '../../../../contract/api/forms.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime, truncate } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { insightHref } from '../insights/filterUrl.ts';
import { useResponses } from './queries.ts';

type Answer = string | number | string[];

function answerText(answer: Answer): string {
  if (Array.isArray(answer)) return answer.join(', ');
  return String(answer);
}

/** "Label: answer" per answered question, in the form's order; answers to removed questions last. */
export function summarise(
  form: Pick<FeedbackForm, 'questions'>,
  answers: Record<string, Answer>,
): { key: string; text: string }[] {
  const known = new Set(form.questions.map((q) => q.id));
  const lines: { key: string; text: string }[] = [];
  for (const question of form.questions) {
    const answer = answers[question.id];
    if (answer === undefined || answerText(answer).trim() === '') continue;
    lines.push({ key: question.id, text: `${question.label}: ${truncate(answerText(answer), 120)}` });
  }
  for (const [key, answer] of Object.entries(answers)) {
    if (!known.has(key)) lines.push({ key, text: `${key}: ${truncate(answerText(answer), 120)}` });
  }
  return lines;
}

/** The form's responses, newest first, each linked to the insight it became. */
export function ResponsesTable({ form }: { form: FeedbackForm }) {
  const pages = useResponses(form.id);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  if (pages.isPending) return <Body aria-live="polite">Loading responses…</Body>;
  if (pages.isError)
    return <Banner variant="danger">Couldn't load the responses: {errorMessage(pages.error)}</Banner>;
  if (items.length === 0) return <Body>No responses yet.</Body>;
  return (
    <>
      <div className="table-scroll">
        <Table aria-label="Responses" data-testid="responses-table">
          <TableHead>
            <HeaderRow>
              <HeaderCell>Submitted</HeaderCell>
              <HeaderCell>Answers</HeaderCell>
              <HeaderCell>Insight</HeaderCell>
            </HeaderRow>
          </TableHead>
          <TableBody>
            {items.map((response) => (
              <Row key={response.id} data-testid="response-row">
                <Cell className="nowrap">{dateTime(response.submittedAt)}</Cell>
                <Cell>
                  <ul className="forms-answers">
                    {summarise(form, response.answers).map((line) => (
                      <li key={line.key}>{line.text}</li>
                    ))}
                  </ul>
                </Cell>
                <Cell>
                  <AppLink to={insightHref(response.insightId)}>Open the insight</AppLink>
                </Cell>
              </Row>
            ))}
          </TableBody>
        </Table>
      </div>
      <LoadMore pages={pages} />
    </>
  );
}
