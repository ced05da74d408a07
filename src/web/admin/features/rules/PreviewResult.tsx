import { Banner } from '@leafygreen-ui/banner';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H3 } from '@leafygreen-ui/typography';
import type { AccessChange, RulePreview } from '../../../../contract/api/access.ts';
import { ROLE_LABEL } from '../../../../contract/roles.ts';

const TOTALS: [keyof RulePreview['totals'], string][] = [
  ['evaluated', 'People evaluated'],
  ['changed', 'Change'],
  ['gains', 'Gain something'],
  ['losses', 'Lose something'],
  ['accessGranted', 'Get access'],
  ['accessRemoved', 'Lose all access'],
  ['roleRaised', 'Role raised'],
  ['roleLowered', 'Role lowered'],
  ['scopeChanged', 'Scope changes'],
];

const accessText = (a: AccessChange['before']) =>
  a.role === null ? 'No access' : `${ROLE_LABEL[a.role]} · ${a.scopeLabel}`;

function Reasons({ items, sign }: { items: string[]; sign: '+' | '−' }) {
  if (items.length === 0) return null;
  return (
    <ul className={`plain-list ${sign === '+' ? 'gained' : 'lost'}`}>
      {items.map((reason) => (
        <li key={reason}>
          <span aria-hidden="true">{sign} </span>
          <span className="visually-hidden">{sign === '+' ? 'Gains: ' : 'Loses: '}</span>
          {reason}
        </li>
      ))}
    </ul>
  );
}

/** Who would gain and who would lose what, with totals and anything that blocks the proposal. */
export function PreviewResult({ preview }: { preview: RulePreview }) {
  return (
    <section className="preview" aria-label="Preview of the change" data-testid="rules-preview">
      <H3>
        Preview against version {preview.baseVersion}
        {preview.changedRules.length > 0
          ? ` — changed: ${preview.changedRules.join(', ')}`
          : ' — no rule changes'}
      </H3>
      {preview.blockers.length > 0 && (
        <Banner variant="danger" data-testid="rules-blockers">
          <strong>This can't be proposed as it stands:</strong>
          <ul className="problem__fields">
            {preview.blockers.map((blocker) => (
              <li key={blocker}>{blocker}</li>
            ))}
          </ul>
        </Banner>
      )}
      <dl className="totals" data-testid="rules-preview-totals">
        {TOTALS.map(([key, label]) => (
          <div key={key} className="totals__item">
            <dt>{label}</dt>
            <dd>{preview.totals[key]}</dd>
          </div>
        ))}
      </dl>
      {preview.changes.length === 0 ? (
        <Body>Nobody's access changes.</Body>
      ) : (
        <div className="table-scroll">
          <Table aria-label="People whose access changes" data-testid="rules-preview-changes">
            <TableHead>
              <HeaderRow>
                {['Person', 'Before → after', 'Gains and losses'].map((column) => (
                  <HeaderCell key={column}>{column}</HeaderCell>
                ))}
              </HeaderRow>
            </TableHead>
            <TableBody>
              {preview.changes.map((change) => (
                <Row key={change.person.id} data-testid="preview-change">
                  <Cell>
                    <strong>{change.person.name}</strong>
                    <div className="muted">{change.person.email}</div>
                  </Cell>
                  <Cell>
                    <div>{accessText(change.before)}</div>
                    <div>→ {accessText(change.after)}</div>
                  </Cell>
                  <Cell>
                    <Reasons items={change.gained} sign="+" />
                    <Reasons items={change.lost} sign="−" />
                  </Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {preview.truncated && (
        <Body>
          More people change than are listed ({preview.changes.length} shown of {preview.totals.changed}); the
          totals count everyone.
        </Body>
      )}
    </section>
  );
}
