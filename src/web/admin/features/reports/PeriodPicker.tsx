import { Option, Select } from '@leafygreen-ui/select';
import { Body } from '@leafygreen-ui/typography';
import type { PeriodInfo } from '../../../../contract/api/reporting.ts';
import { REPORT_PERIOD_LABELS, REPORT_PERIODS, type ReportPeriod } from '../../../../contract/reporting.ts';
import { DayField } from '../../components/DayField.tsx';
import { periodSentence } from './format.ts';
import { isCalendar, previewPeriod, type ReportState, todayUtc, withDay, withPeriod } from './reportQuery.ts';

const CALENDAR_NOUN: Partial<Record<ReportPeriod, string>> = {
  week: 'week',
  month: 'month',
  quarter: 'quarter',
};

interface PeriodPickerProps {
  state: ReportState;
  onChange: (state: ReportState) => void;
  /** The periods this page offers (the current one is always offered, e.g. from a shared link). */
  periods?: readonly ReportPeriod[];
  /** The server's resolved period of the answer on screen: the truth once it is there. */
  resolved: PeriodInfo | undefined;
}

/**
 * Rolling (last 7/30/90 days), calendar (week, month, quarter containing a chosen day) or custom days. Shows
 * which days that makes and what they are compared with; the page's own resolution is only a preview until
 * the server answers.
 */
export function PeriodPicker({ state, onChange, periods = REPORT_PERIODS, resolved }: PeriodPickerProps) {
  const today = todayUtc();
  const preview = previewPeriod(state, today);
  const offered = periods.includes(state.period) ? periods : [...periods, state.period];
  const shown = resolved ?? preview.period ?? undefined;
  const fieldError = preview.error;

  return (
    <div className="period-picker" data-testid="period-picker">
      <Select
        label="Period"
        size="small"
        allowDeselect={false}
        value={state.period}
        onChange={(value: string) => {
          const period = REPORT_PERIODS.find((candidate) => candidate === value);
          if (period !== undefined) onChange(withPeriod(state, period, shown));
        }}
        className="period-picker__select"
      >
        {offered.map((period) => (
          <Option key={period} value={period}>
            {REPORT_PERIOD_LABELS[period]}
          </Option>
        ))}
      </Select>
      {isCalendar(state.period) && (
        <DayField
          label={`Any day in the ${CALENDAR_NOUN[state.period] ?? 'period'}`}
          value={state.at ?? today}
          invalid={fieldError?.field === 'at'}
          testId="period-at"
          onChange={(day) => onChange(withDay(state, 'at', day))}
        />
      )}
      {state.period === 'custom' && (
        <>
          <DayField
            label="From"
            value={state.from ?? ''}
            invalid={fieldError?.field === 'from'}
            testId="period-from"
            onChange={(day) => onChange(withDay(state, 'from', day))}
          />
          <DayField
            label="To"
            value={state.to ?? ''}
            invalid={fieldError?.field === 'to'}
            testId="period-to"
            onChange={(day) => onChange(withDay(state, 'to', day))}
          />
        </>
      )}
      {fieldError !== null ? (
        <Body className="period-picker__error" role="alert">
          {fieldError.field === 'at' ? 'Day' : fieldError.field === 'from' ? 'From' : 'To'}{' '}
          {fieldError.message}.
        </Body>
      ) : (
        shown !== undefined && (
          <Body className="period-picker__days" data-testid="period-days">
            {periodSentence(shown)} (UTC days)
          </Body>
        )
      )}
    </div>
  );
}
