import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { useEffect, useState } from 'react';
import { LIMITS } from '../../../../contract/limits.ts';
import type { InsightSort } from '../../../../contract/reporting.ts';

interface SearchBarProps {
  q: string | undefined;
  sort: InsightSort | undefined;
  onSearch: (q: string | undefined) => void;
  onSort: (sort: InsightSort | undefined) => void;
}

/** Full-text search (title, text, tags; "quoted phrases", OR, -exclude) and the order of the list. */
export function SearchBar({ q, sort, onSearch, onSort }: SearchBarProps) {
  const [text, setText] = useState(q ?? '');
  useEffect(() => setText(q ?? ''), [q]);
  const searching = q !== undefined;
  return (
    <form
      className="search-bar"
      aria-label="Search insights"
      onSubmit={(event) => {
        event.preventDefault();
        const next = text.trim();
        onSearch(next === '' ? undefined : next);
      }}
    >
      <TextInput
        label="Search"
        required={false}
        className="search-bar__input"
        description='Words, "a phrase", OR, -exclude'
        value={text}
        maxLength={LIMITS.searchQuery}
        onChange={(event) => setText(event.target.value)}
      />
      <Button type="submit" variant="primary">
        Search
      </Button>
      {searching && (
        <Button
          onClick={() => {
            setText('');
            onSearch(undefined);
          }}
        >
          Clear search
        </Button>
      )}
      <Select
        label="Sort"
        size="default"
        allowDeselect={false}
        className="search-bar__sort"
        value={sort ?? (searching ? 'relevance' : 'newest')}
        onChange={(value: string) => onSort(value as InsightSort)}
      >
        <Option value="newest">Newest first</Option>
        <Option value="oldest">Oldest first</Option>
        {searching && <Option value="relevance">Best match</Option>}
      </Select>
    </form>
  );
}
