import type { ConflictField } from '../../../../contract/api/directory.ts';

const SOURCE_NAME = { scim: 'SCIM', hr: 'HR feed', oidc: 'ID token' } as const;
const FIELD_NAME: Record<ConflictField['field'], string> = {
  email: 'E-mail',
  name: 'Name',
  employeeNumber: 'Employee number',
  department: 'Department',
  title: 'Title',
  manager: 'Manager',
  groups: 'Groups',
};

export const assertingSourceName = (source: keyof typeof SOURCE_NAME) => SOURCE_NAME[source];

export function conflictValue(value: ConflictField['inEffect']): string {
  if (value === null) return '(none)';
  return Array.isArray(value) ? value.join(', ') || '(none)' : value;
}

/** Fields two sources disagree on: what each says, and which value is in effect. */
export function ConflictFields({ fields }: { fields: ConflictField[] }) {
  return (
    <table className="mini-table" data-testid="conflict-fields">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Each source says</th>
          <th scope="col">In effect</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.field}>
            <th scope="row">{FIELD_NAME[f.field]}</th>
            <td>
              <ul className="plain-list">
                {f.values.map((v) => (
                  <li key={v.source}>
                    <span className="muted">{SOURCE_NAME[v.source]}:</span> {conflictValue(v.value)}
                  </li>
                ))}
              </ul>
            </td>
            <td>
              <strong>{conflictValue(f.inEffect)}</strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
