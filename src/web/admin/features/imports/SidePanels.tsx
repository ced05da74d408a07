import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Body, H2 } from '@leafygreen-ui/typography';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { fieldLabel } from './MappingStep.tsx';
import { useForgetAlias, useImportAliases, useImportHistory } from './queries.ts';

const STATUS = {
  previewed: { text: 'Previewed', variant: 'blue' },
  applying: { text: 'Applying', variant: 'yellow' },
  applied: { text: 'Applied', variant: 'green' },
  failed: { text: 'Failed', variant: 'red' },
} as const;

/** Recent imports, newest first: open one to look at it again, finish applying it, or resume it. */
export function HistoryPanel({
  currentId,
  onOpen,
}: {
  currentId: string | null;
  onOpen: (id: string) => void;
}) {
  const history = useImportHistory();
  const items = history.data?.items ?? [];
  return (
    <section aria-labelledby="import-history" className="import-panel">
      <H2 id="import-history" className="section-title">
        Recent imports
      </H2>
      {history.isPending && <Body aria-live="polite">Loading…</Body>}
      {history.isError && (
        <Body className="error-text">Couldn't load the imports: {errorMessage(history.error)}</Body>
      )}
      {history.isSuccess && items.length === 0 && <Body className="muted">No imports yet.</Body>}
      <ul className="plain-list import-list">
        {items.map((item) => (
          <li key={item.id} className="import-list__item" data-testid="history-item">
            <div className="badges">
              <strong className="import-list__name">{item.fileName}</strong>
              <Badge variant={STATUS[item.status].variant}>{STATUS[item.status].text}</Badge>
            </div>
            <div className="muted">
              {item.counts.create} new · {item.counts.update} updated · {item.counts.unchanged} unchanged
              {item.counts.error > 0 ? ` · ${item.counts.error} errors` : ''}
            </div>
            <div className="muted">
              {item.actor.name} · {dateTime(item.createdAt)}
            </div>
            {item.id === currentId ? (
              <span className="muted">Open above</span>
            ) : (
              <div>
                <Button
                  size="xsmall"
                  onClick={() => onOpen(item.id)}
                  aria-label={`Open import ${item.fileName}`}
                >
                  Open
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Header spellings the importer has learned (each confirmed mapping of an applied import). Admins can make it
 * forget one that was learned wrongly; the next file with that header is then matched afresh.
 */
export function AliasesPanel({ isAdmin }: { isAdmin: boolean }) {
  const aliases = useImportAliases();
  const forget = useForgetAlias();
  const items = aliases.data?.items ?? [];
  const onForget = (id: string, header: string, field: string) => {
    if (!window.confirm(`Forget that “${header}” means ${fieldLabel(field)}?`)) return;
    forget.mutate(id);
  };
  return (
    <section aria-labelledby="import-aliases" className="import-panel">
      <H2 id="import-aliases" className="section-title">
        Learned column names
      </H2>
      {aliases.isPending && <Body aria-live="polite">Loading…</Body>}
      {aliases.isError && (
        <Body className="error-text">Couldn't load the learned names: {errorMessage(aliases.error)}</Body>
      )}
      {aliases.isSuccess && items.length === 0 && (
        <Body className="muted">
          None yet: applying an import with “Remember my column choices” teaches them.
        </Body>
      )}
      <ProblemNotice error={forget.error} what="Not forgotten" />
      <ul className="plain-list import-list">
        {items.map((alias) => (
          <li key={alias.id} className="import-list__item" data-testid="alias-item">
            <div>
              <strong className="import-list__name">{alias.header}</strong> → {fieldLabel(alias.field)}
            </div>
            <div className="muted">
              Used {alias.uses} {alias.uses === 1 ? 'time' : 'times'}
              {alias.learnedBy !== null ? ` · learned from ${alias.learnedBy.name}` : ''}
            </div>
            {isAdmin && (
              <div>
                <Button
                  size="xsmall"
                  variant="dangerOutline"
                  disabled={forget.isPending}
                  onClick={() => onForget(alias.id, alias.header, alias.field)}
                  aria-label={`Forget ${alias.header}`}
                >
                  Forget
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
