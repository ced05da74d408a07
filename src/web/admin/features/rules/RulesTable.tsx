import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { RuleSetSpec } from '../../../../contract/api/entitlements.ts';
import { conditionsInWords, grantInWords } from './ruleWords.ts';

/** The rules of one version: id, what it is for, when it matches (in words), what it grants. */
export function RulesTable({
  spec,
  label,
  highlight = [],
}: {
  spec: RuleSetSpec;
  label: string;
  highlight?: string[];
}) {
  return (
    <>
      <p className="muted">
        Team groups start with <code>{spec.teamGroupPrefix}</code>. A person gets every matching rule's grant;
        the highest role wins and the scopes add up.
      </p>
      <p className="muted" data-testid="builder-relations-definition">
        SCIM marks someone as Builder Relations when they are in{' '}
        {spec.builderRelations.scimGroups.length === 0
          ? 'no group'
          : spec.builderRelations.scimGroups.map((g) => <code key={g}>{g}</code>)}{' '}
        or in the department{spec.builderRelations.departments.length === 1 ? '' : 's'}{' '}
        {spec.builderRelations.departments.join(', ') || '(none)'}; the HR feed states it for each person.
      </p>
      <div className="table-scroll">
        <Table aria-label={label} data-testid="rules-table">
          <TableHead>
            <HeaderRow>
              {['Rule', 'Description', 'When', 'Grants'].map((column) => (
                <HeaderCell key={column}>{column}</HeaderCell>
              ))}
            </HeaderRow>
          </TableHead>
          <TableBody>
            {spec.rules.map((rule) => (
              <Row key={rule.id} data-testid="rule-row">
                <Cell>
                  <strong>{rule.id}</strong>
                  {highlight.includes(rule.id) && <div className="changed-mark">changed</div>}
                </Cell>
                <Cell>{rule.description}</Cell>
                <Cell>{conditionsInWords(rule.when)}</Cell>
                <Cell className="nowrap">{grantInWords(rule.grant)}</Cell>
              </Row>
            ))}
          </TableBody>
        </Table>
      </div>
    </>
  );
}
