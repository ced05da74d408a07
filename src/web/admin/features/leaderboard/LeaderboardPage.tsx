import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { Leaderboard } from '../../../../contract/api/reporting.ts';
import { IMPACT_FORMULA } from '../../../../contract/reporting.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useViewBeacon } from '../analytics/useViewBeacon.ts';
import { authorHref } from '../dashboard/drilldown.ts';
import { formatScore, formulaInWords } from '../reports/format.ts';
import { useLeaderboard } from '../reports/queries.ts';
import { ReportControls } from '../reports/ReportControls.tsx';
import type { ReportState } from '../reports/reportQuery.ts';
import { useReportState } from '../reports/useReportState.ts';
import '../reports/reports.css';

/** The first page shows this many people; "Show everyone" asks for the most the API gives. */
const FIRST = 50;
const ALL = 500;

/** The score's parts, in the formula's order: column head and the row's count. */
const COMPONENTS = [
  ['Insights', 'insights'],
  ['Critical', 'critical'],
  ['High', 'high'],
  ['Feature requests', 'featureRequests'],
  ['Bug reports', 'bugReports'],
  ['Use cases', 'useCases'],
] as const;

function Formula({ board }: { board: Leaderboard | undefined }) {
  return (
    <Card className="formula" data-testid="formula">
      <H3 as="h2" className="dist__title">
        How the impact score is counted
      </H3>
      <p className="formula__line">
        <code>{board?.formula ?? IMPACT_FORMULA}</code>
      </p>
      <ul className="formula__words">
        {formulaInWords(board?.weights).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <Body className="muted">
        People are ranked by score, highest first; equal scores share a rank (then more insights, then the
        name, decide the order). Only insights in your scope, the period and the filter count.
      </Body>
    </Card>
  );
}

function BoardTable({ board, state }: { board: Leaderboard; state: ReportState }) {
  return (
    <div className="table-scroll">
      <table className="dist__table leaderboard" data-testid="leaderboard">
        <caption className="visually-hidden">
          Impact score per person, {board.period.label}; equal scores share a rank
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Rank
            </th>
            <th scope="col">Person</th>
            <th scope="col">Team</th>
            <th scope="col" className="num">
              Score
            </th>
            {COMPONENTS.map(([label]) => (
              <th key={label} scope="col" className="num">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {board.rows.map((row, index) => {
            const tied = board.rows[index - 1]?.rank === row.rank || board.rows[index + 1]?.rank === row.rank;
            return (
              <tr key={row.person.id} data-testid="leaderboard-row">
                <td className="num" data-testid="leaderboard-rank">
                  {tied ? (
                    <>
                      <span aria-hidden="true">={row.rank}</span>
                      <span className="visually-hidden">{row.rank} (shared)</span>
                    </>
                  ) : (
                    row.rank
                  )}
                </td>
                <th scope="row">
                  <AppLink to={authorHref(state, board.period, row.person.id)}>{row.person.name}</AppLink>
                </th>
                <td>{row.person.team ?? '–'}</td>
                <td className="num leaderboard__score" data-testid="leaderboard-score">
                  {formatScore(row.score)}
                </td>
                {COMPONENTS.map(([label, key]) => (
                  <td key={key} className={row[key] === 0 ? 'num is-zero' : 'num'}>
                    {row[key]}
                    <span className="visually-hidden"> {label.toLowerCase()}</span>
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Leaderboard (/admin/leaderboard): impact score per person in scope for the period, explained. */
export function LeaderboardPage() {
  useViewBeacon('leaderboard');
  const [state, setState] = useReportState();
  const [limit, setLimit] = useState(FIRST);
  const query = useLeaderboard(state, limit);
  const board = query.data;
  const fresh = board !== undefined && !query.isPlaceholderData ? board : undefined;

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Leaderboard</H1>
        {board !== undefined && <Body className="muted">{board.scopeLabel}</Body>}
      </div>
      <ReportControls state={state} onChange={setState} resolved={fresh?.period} />
      <Formula board={board} />
      {query.isPending && <Body aria-live="polite">Loading…</Body>}
      <ProblemNotice error={query.error} what="Couldn't load the leaderboard" />
      {board !== undefined && (
        <section
          className={query.isPlaceholderData ? 'is-refreshing' : undefined}
          aria-busy={query.isFetching}
          aria-label="Ranking"
        >
          {board.rows.length === 0 ? (
            <Body className="muted">Nobody captured an insight in this period and filter.</Body>
          ) : (
            <BoardTable board={board} state={state} />
          )}
          <div className="insights__footer">
            <Body as="p" data-testid="leaderboard-count">
              {board.rows.length < board.totalContributors
                ? `Showing the top ${board.rows.length} of ${board.totalContributors} people`
                : `All ${board.totalContributors} people with a score`}
            </Body>
            {board.rows.length < board.totalContributors && limit < ALL && (
              <Button size="small" onClick={() => setLimit(ALL)}>
                Show everyone
              </Button>
            )}
          </div>
        </section>
      )}
    </main>
  );
}
