import { Option, Select } from '@leafygreen-ui/select';
import {
  INSIGHT_TYPES,
  PRIORITIES,
  PRODUCT_AREAS,
  SENTIMENTS,
  type TaxonomyEntry,
} from '../../../../contract/taxonomy.ts';
import type { InsightFilters } from '../../queries.ts';

const ALL = 'all';

interface FilterSelectProps<Id extends string> {
  label: string;
  options: readonly TaxonomyEntry<Id>[];
  value: Id | undefined;
  onChange: (value: Id | undefined) => void;
}

function FilterSelect<Id extends string>({ label, options, value, onChange }: FilterSelectProps<Id>) {
  return (
    <Select
      label={label}
      size="small"
      allowDeselect={false}
      value={value ?? ALL}
      onChange={(next: string) => onChange(options.find((option) => option.id === next)?.id)}
      className="filters__select"
    >
      <Option value={ALL}>All</Option>
      {options.map((option) => (
        <Option key={option.id} value={option.id}>
          {option.label}
        </Option>
      ))}
    </Select>
  );
}

interface InsightFilterBarProps {
  filters: InsightFilters;
  onChange: (filters: InsightFilters) => void;
}

/** Filters are applied by the server: each change asks for a fresh first page. */
export function InsightFilterBar({ filters, onChange }: InsightFilterBarProps) {
  return (
    <fieldset className="filters">
      <legend className="visually-hidden">Filter insights</legend>
      <FilterSelect
        label="Type"
        options={INSIGHT_TYPES}
        value={filters.type}
        onChange={(type) => onChange({ ...filters, type })}
      />
      <FilterSelect
        label="Sentiment"
        options={SENTIMENTS}
        value={filters.sentiment}
        onChange={(sentiment) => onChange({ ...filters, sentiment })}
      />
      <FilterSelect
        label="Priority"
        options={PRIORITIES}
        value={filters.priority}
        onChange={(priority) => onChange({ ...filters, priority })}
      />
      <FilterSelect
        label="Product area"
        options={PRODUCT_AREAS}
        value={filters.productArea}
        onChange={(productArea) => onChange({ ...filters, productArea })}
      />
    </fieldset>
  );
}
