/**
 * A small YAML writer for the rule files: mappings, sequences, strings and numbers only. Multi-line strings
 * become literal blocks (`|-`), so PromQL stays readable; other strings are plain when that is unambiguous and
 * double-quoted (JSON escaping, which YAML accepts) otherwise.
 */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue | undefined };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_.:/-]*$/;
/** Durations such as 5m or 26h read as strings, not numbers. */
const DURATION = /^\d+(ms|s|m|h|d|w|y)$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  return (PLAIN.test(value) && !RESERVED.test(value)) || DURATION.test(value) ? value : JSON.stringify(value);
}

function isBlock(value: YamlValue | undefined): value is YamlValue[] | { [key: string]: YamlValue } {
  return (
    typeof value === 'object' && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)
  );
}

function literal(text: string, indent: string): string {
  return `|-\n${text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `${indent}${line}`))
    .join('\n')}`;
}

function inline(value: YamlValue, indent: string): string {
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  if (typeof value === 'string' && value.includes('\n')) return literal(value, indent);
  return scalar(value);
}

function mapping(object: { [key: string]: YamlValue | undefined }, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    if (isBlock(value)) {
      lines.push(`${indent}${key}:`);
      lines.push(...block(value, Array.isArray(value) ? indent : `${indent}  `));
    } else lines.push(`${indent}${key}: ${inline(value, `${indent}  `)}`);
  }
  return lines;
}

function block(value: YamlValue[] | { [key: string]: YamlValue }, indent: string): string[] {
  if (!Array.isArray(value)) return mapping(value, indent);
  const lines: string[] = [];
  for (const item of value) {
    if (isBlock(item) && !Array.isArray(item)) {
      const inner = mapping(item, `${indent}  `);
      lines.push(`${indent}- ${(inner[0] ?? '').trimStart()}`, ...inner.slice(1));
    } else if (isBlock(item)) throw new Error('nested sequences are not supported');
    else lines.push(`${indent}- ${inline(item, `${indent}  `)}`);
  }
  return lines;
}

/** The document, with an optional comment header, ending in a newline. */
export function toYaml(document: { [key: string]: YamlValue }, header: string[] = []): string {
  return `${[...header.map((line) => `# ${line}`.trimEnd()), ...mapping(document, '')].join('\n')}\n`;
}
