import type { TaxonomyEntry } from '../../../contract/taxonomy.ts';

interface ChipGroupProps<Id extends string> {
  legend: string;
  /** Shown beside the legend, e.g. "optional" or "up to 8". */
  hint?: string;
  options: readonly TaxonomyEntry<Id>[];
  selected: readonly Id[];
  onToggle: (id: Id) => void;
  /** When set and reached, the chips not yet chosen are disabled. */
  maxSelected?: number;
}

/**
 * A row of tap targets. Each chip is a toggle button (`aria-pressed`), so one tap sets a value and a screen
 * reader hears "Praise, toggle button, pressed".
 */
export function ChipGroup<Id extends string>(props: ChipGroupProps<Id>) {
  const { legend, hint, options, selected, onToggle, maxSelected } = props;
  const full = maxSelected !== undefined && selected.length >= maxSelected;
  return (
    <fieldset className="chip-group">
      <legend>
        {legend}
        {hint !== undefined && <span className="chip-group__hint"> ({hint})</span>}
      </legend>
      <div className="chip-group__chips">
        {options.map((option) => {
          const pressed = selected.includes(option.id);
          return (
            <button
              key={option.id}
              type="button"
              className="chip"
              aria-pressed={pressed ? 'true' : 'false'}
              disabled={full && !pressed}
              onClick={() => onToggle(option.id)}
            >
              {option.label}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}
