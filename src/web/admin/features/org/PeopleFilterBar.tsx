import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { useEffect, useId, useState } from 'react';
import { ORG_SOURCE_FILTERS, ROLE_FILTERS } from '../../../../contract/api/directory.ts';
import { PERSON_STATUSES } from '../../../../contract/api/me.ts';
import { ROLE_LABEL } from '../../../../contract/roles.ts';
import type { PeopleFilters } from './peopleQueries.ts';
import { useDebounced } from './useDebounced.ts';

const ALL = 'all';
const SOURCE_LABEL = { scim: 'SCIM', hr: 'HR feed', none: 'None (SSO only)' } as const;
const ROLE_TEXT = (role: (typeof ROLE_FILTERS)[number]) => (role === 'none' ? 'No access' : ROLE_LABEL[role]);

function pick<T extends string>(values: readonly T[], value: string): T | undefined {
  return values.find((candidate) => candidate === value);
}

/** Search and filters of the People list; text fields settle before they query. */
export function PeopleFilterBar({ onChange }: { onChange: (filters: PeopleFilters) => void }) {
  const [q, setQ] = useState('');
  const [department, setDepartment] = useState('');
  const [rest, setRest] = useState<Omit<PeopleFilters, 'q' | 'department'>>({});
  const settledQ = useDebounced(q.trim());
  const settledDepartment = useDebounced(department.trim());
  const ids = { q: useId(), department: useId() };

  useEffect(() => {
    onChange({
      ...rest,
      ...(settledQ === '' ? {} : { q: settledQ }),
      ...(settledDepartment === '' ? {} : { department: settledDepartment }),
    });
  }, [rest, settledQ, settledDepartment, onChange]);

  return (
    <fieldset className="filters" aria-label="Filter people">
      <TextInput
        id={ids.q}
        label="Search"
        description="Start of a name or e-mail"
        sizeVariant="small"
        value={q}
        maxLength={100}
        onChange={(change) => setQ(change.target.value)}
      />
      <Select
        label="Status"
        size="small"
        allowDeselect={false}
        value={rest.status ?? ALL}
        onChange={(value: string) => setRest({ ...rest, status: pick(PERSON_STATUSES, value) })}
        className="filters__select"
      >
        <Option value={ALL}>All statuses</Option>
        {PERSON_STATUSES.map((status) => (
          <Option key={status} value={status}>
            {status}
          </Option>
        ))}
      </Select>
      <Select
        label="Effective role"
        size="small"
        allowDeselect={false}
        value={rest.role ?? ALL}
        onChange={(value: string) => setRest({ ...rest, role: pick(ROLE_FILTERS, value) })}
        className="filters__select"
      >
        <Option value={ALL}>All roles</Option>
        {ROLE_FILTERS.map((role) => (
          <Option key={role} value={role}>
            {ROLE_TEXT(role)}
          </Option>
        ))}
      </Select>
      <Select
        label="Org source"
        size="small"
        allowDeselect={false}
        value={rest.source ?? ALL}
        onChange={(value: string) => setRest({ ...rest, source: pick(ORG_SOURCE_FILTERS, value) })}
        className="filters__select"
      >
        <Option value={ALL}>All sources</Option>
        {ORG_SOURCE_FILTERS.map((source) => (
          <Option key={source} value={source}>
            {SOURCE_LABEL[source]}
          </Option>
        ))}
      </Select>
      <TextInput
        id={ids.department}
        label="Department"
        description="Whole name, any case"
        sizeVariant="small"
        value={department}
        maxLength={200}
        onChange={(change) => setDepartment(change.target.value)}
      />
      <Select
        label="Exception"
        size="small"
        allowDeselect={false}
        value={rest.hasException ?? ALL}
        onChange={(value: string) => setRest({ ...rest, hasException: pick(['true', 'false'], value) })}
        className="filters__select"
      >
        <Option value={ALL}>Any</Option>
        <Option value="true">Has an active exception</Option>
        <Option value="false">No exception</Option>
      </Select>
    </fieldset>
  );
}
