import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H2 } from '@leafygreen-ui/typography';
import type { AccessReviewCampaign } from '../../../../contract/api/access-reviews.ts';
import { type FileCheck, useReportCheck } from './reportCheck.ts';

function CheckResult({ check, sealed }: { check: FileCheck; sealed: string | null }) {
  const expected = check.format === 'json' ? sealed : check.header;
  const ok = check.computed === null ? check.header === expected : check.computed === expected;
  return (
    <li data-testid={`report-check-${check.format}`}>
      <strong>report.{check.format}</strong> ({check.bytes} bytes):{' '}
      <code className="hash">{check.computed ?? check.header}</code> {ok ? '— matches' : '— DOES NOT MATCH'}
      {check.format === 'json' ? ' the hash sealed at close' : ' the hash the server sent with it'}
      {check.computed === null ? ' (not hashed here: this page is not on https)' : ''}
    </li>
  );
}

/** The sealed report of a closed campaign: downloads, the SHA-256 the audit log records, and a check. */
export function ReportLinks({ campaign }: { campaign: AccessReviewCampaign }) {
  const base = `/api/v1/access-reviews/${campaign.id}`;
  const check = useReportCheck(campaign.id);
  return (
    <Card className="profile-card" data-testid="campaign-report">
      <H2 className="section-title">Report</H2>
      <Body>
        Every item with its decision, comment and remediation. The SHA-256 of the JSON (and of the CSV) is
        recorded in the audit log (access.review.closed); each download carries its own in the
        X-Content-SHA256 header.
      </Body>
      <dl className="facts">
        <dt>SHA-256 of report.json</dt>
        <dd>
          <code className="hash" data-testid="report-sha256">
            {campaign.reportSha256 ?? '—'}
          </code>
        </dd>
      </dl>
      <div className="inline-form__buttons">
        <Button as="a" href={`${base}/report.json`} download={`access-review-${campaign.id}.json`}>
          Download report.json
        </Button>
        <Button as="a" href={`${base}/report.csv`} download={`access-review-${campaign.id}.csv`}>
          Download report.csv
        </Button>
        <Button onClick={() => check.mutate()} disabled={check.isPending} isLoading={check.isPending}>
          Check the files' hashes
        </Button>
      </div>
      {check.isError && (
        <p role="alert" className="form-problems">
          Couldn't check: {check.error instanceof Error ? check.error.message : 'try again'}
        </p>
      )}
      {check.data !== undefined && (
        <ul className="plain-list" aria-live="polite">
          {check.data.map((file) => (
            <CheckResult key={file.format} check={file} sealed={campaign.reportSha256} />
          ))}
        </ul>
      )}
    </Card>
  );
}
