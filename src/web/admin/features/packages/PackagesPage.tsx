import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H1, H2, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import {
  AUDIENCE_DESCRIPTION,
  AUDIENCE_LABEL,
  AUDIENCES,
  type Audience,
  PACKAGE_FORMAT_LABEL,
  PACKAGE_FORMATS,
  type PackageSummary,
} from '../../../../contract/api/packages.ts';
import { VERDICT_LABEL } from '../../../../contract/api/readiness.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { downloadHref, useGeneratePackage, usePackages, useVerification } from './queries.ts';
import './packages.css';

const VERDICT_VARIANT = { go: 'green', go_with_known_issues: 'yellow', no_go: 'red' } as const;

function AudienceCard({
  audience,
  busy,
  onGenerate,
}: {
  audience: Audience;
  busy: boolean;
  onGenerate: () => void;
}) {
  return (
    <Card className="packages-audience" data-testid={`audience-${audience}`}>
      <H3 as="h2">{AUDIENCE_LABEL[audience]}</H3>
      <Body>{AUDIENCE_DESCRIPTION[audience]}</Body>
      <div>
        <Button variant="primary" onClick={onGenerate} disabled={busy} data-testid={`generate-${audience}`}>
          Generate
        </Button>
      </div>
    </Card>
  );
}

/** "Verify" checks the stored renderings against their hashes and the audit log, and says what it found. */
function Verify({ id }: { id: string }) {
  const check = useVerification(id);
  const result = check.data;
  return (
    <div className="packages-verify">
      <Button
        size="xsmall"
        onClick={() => void check.refetch()}
        disabled={check.isFetching}
        data-testid="verify"
      >
        Verify
      </Button>
      {check.isFetching && <Body aria-live="polite">Checking…</Body>}
      {check.isError && <Body>Couldn't verify: {errorMessage(check.error)}</Body>}
      {result && !check.isFetching && (
        <span data-testid="verify-result" data-ok={String(result.ok)} aria-live="polite">
          {result.ok ? (
            <Badge variant="green">Matches the audit log (event #{result.auditEventSeq})</Badge>
          ) : (
            <Badge variant="red">Does not match</Badge>
          )}
          {!result.ok && result.problem && <Body>{result.problem}</Body>}
        </span>
      )}
    </div>
  );
}

function PackageRow({ item }: { item: PackageSummary }) {
  return (
    <Row data-testid="package-row" data-audience={item.audience}>
      <Cell>{AUDIENCE_LABEL[item.audience]}</Cell>
      <Cell>{dateTime(item.generatedAt)}</Cell>
      <Cell>{item.generatedBy?.name ?? '—'}</Cell>
      <Cell>
        {item.verdict ? (
          <Badge variant={VERDICT_VARIANT[item.verdict]}>{VERDICT_LABEL[item.verdict]}</Badge>
        ) : (
          '—'
        )}
      </Cell>
      <Cell>
        <span className="packages-hash" title={`SHA-256 of the package: ${item.hashes.package}`}>
          {item.hashes.package.slice(0, 12)}
        </span>
      </Cell>
      <Cell>
        <div className="packages-downloads">
          {PACKAGE_FORMATS.map((format) => (
            <Button
              key={format}
              as="a"
              size="xsmall"
              href={downloadHref(item.id, format)}
              data-testid={`download-${format}`}
            >
              {PACKAGE_FORMAT_LABEL[format]}
            </Button>
          ))}
        </div>
      </Cell>
      <Cell>
        <Verify id={item.id} />
      </Cell>
    </Row>
  );
}

/**
 * Admin → Packages: generate an audience package from live state (Leadership, Product & Program, Security
 * Review, Platform Engineering), download its Markdown, HTML or PDF, and verify it against the audit log.
 */
export function PackagesPage() {
  const pages = usePackages();
  const generate = useGeneratePackage();
  const [done, setDone] = useState<string | null>(null);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  const onGenerate = (audience: Audience) => {
    setDone(null);
    generate.mutate(audience, {
      onSuccess: (summary) => setDone(`Generated “${summary.title}”.`),
    });
  };

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Audience packages</H1>
      </div>
      <Body>
        Each package is a point-in-time snapshot of live state with the readiness verdict of that moment,
        stored as Markdown, HTML and PDF. The SHA-256 of each rendering is recorded in the audit log; Verify
        checks the stored files against it. Generating needs a recent MFA sign-in; generating and downloading
        are audited.
      </Body>
      <ProblemNotice error={generate.error} what="Couldn't generate the package" />
      {done !== null && (
        <Banner variant="success" data-testid="generated">
          {done}
        </Banner>
      )}
      <div className="packages-audiences">
        {AUDIENCES.map((audience) => (
          <AudienceCard
            key={audience}
            audience={audience}
            busy={generate.isPending}
            onGenerate={() => onGenerate(audience)}
          />
        ))}
      </div>
      {generate.isPending && <Body aria-live="polite">Generating…</Body>}
      <H2>Generated packages</H2>
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && <Banner variant="danger">Couldn't load packages: {errorMessage(pages.error)}</Banner>}
      {pages.isSuccess && items.length === 0 && <Body>No package has been generated yet.</Body>}
      {items.length > 0 && (
        <div className="table-scroll">
          <Table aria-label="Generated packages" data-testid="packages-table">
            <TableHead>
              <HeaderRow>
                {['Audience', 'Generated', 'By', 'Verdict', 'Hash', 'Download', 'Check'].map((column) => (
                  <HeaderCell key={column}>{column}</HeaderCell>
                ))}
              </HeaderRow>
            </TableHead>
            <TableBody>
              {items.map((item) => (
                <PackageRow key={item.id} item={item} />
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {pages.hasNextPage && (
        <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </main>
  );
}
