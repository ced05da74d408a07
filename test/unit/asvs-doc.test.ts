import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/security/asvs.md, the ASVS 5.0 Level 2 mapping, stays complete and true to the tree: every level 1 and 2
 * requirement of ASVS 5.0.0 appears exactly once with its level and a status; nothing else is listed (no invented
 * ids); every row says why (a control or a reason); covered rows cite their proof; every path the document
 * cites exists; and the "Gaps for the lead" section names exactly the partial rows.
 */
const root = resolve(import.meta.dirname, '../..');
const DOC = 'docs/security/asvs.md';
const text = readFileSync(join(root, DOC), 'utf8');

/**
 * The level 1 and 2 requirements of OWASP ASVS 5.0.0 with their level, from the release's CSV
 * (OWASP/ASVS 5.0/docs_en/OWASP_Application_Security_Verification_Standard_5.0.0_en.csv). `V6.2.1-8:1` stands
 * for V6.2.1 … V6.2.8, all level 1.
 */
const ASVS_5_0_0_L1_L2 = `
V1.1.1-2:2 V1.2.1-5:1 V1.2.6-9:2 V1.3.1-2:1 V1.3.3-11:2 V1.4.1-3:2 V1.5.1:1 V1.5.2:2
V2.1.1:1 V2.1.2-3:2 V2.2.1-2:1 V2.2.3:2 V2.3.1:1 V2.3.2-4:2 V2.4.1:2
V3.2.1-2:1 V3.3.1:1 V3.3.2-4:2 V3.4.1-2:1 V3.4.3-6:2 V3.5.1-3:1 V3.5.4-5:2 V3.7.1-2:2
V4.1.1:1 V4.1.2-3:2 V4.2.1:2 V4.3.1-2:2 V4.4.1:1 V4.4.2-4:2
V5.1.1:2 V5.2.1-2:1 V5.2.3:2 V5.3.1-2:1 V5.4.1-3:2
V6.1.1:1 V6.1.2-3:2 V6.2.1-8:1 V6.2.9-12:2 V6.3.1-2:1 V6.3.3-4:2 V6.4.1-2:1 V6.4.3-4:2 V6.5.1-5:2 V6.6.1-3:2
V6.8.1-4:2
V7.1.1-3:2 V7.2.1-4:1 V7.3.1-2:2 V7.4.1-2:1 V7.4.3-5:2 V7.5.1-2:2 V7.6.1-2:2
V8.1.1:1 V8.1.2:2 V8.2.1-2:1 V8.2.3:2 V8.3.1:1 V8.4.1:2
V9.1.1-3:1 V9.2.1:1 V9.2.2-4:2
V10.1.1-2:2 V10.2.1-2:2 V10.3.1-4:2 V10.4.1-5:1 V10.4.6-11:2 V10.5.1-5:2 V10.6.1-2:2 V10.7.1-3:2
V11.1.1-2:2 V11.2.1-3:2 V11.3.1-2:1 V11.3.3:2 V11.4.1:1 V11.4.2-4:2 V11.5.1:2 V11.6.1:2
V12.1.1:1 V12.1.2-3:2 V12.2.1-2:1 V12.3.1-4:2
V13.1.1:2 V13.2.1-5:2 V13.3.1-2:2 V13.4.1:1 V13.4.2-5:2
V14.1.1-2:2 V14.2.1:1 V14.2.2-4:2 V14.3.1:1 V14.3.2-3:2
V15.1.1:1 V15.1.2-3:2 V15.2.1:1 V15.2.2-3:2 V15.3.1:1 V15.3.2-7:2
V16.1.1:2 V16.2.1-5:2 V16.3.1-4:2 V16.4.1-3:2 V16.5.1-3:2
V17.1.1:2 V17.2.1-4:2 V17.3.1-2:2`;

function expand(spec: string): Map<string, string> {
  const levels = new Map<string, string>();
  for (const token of spec.split(/\s+/).filter(Boolean)) {
    const match = /^(V\d+\.\d+)\.(\d+)(?:-(\d+))?:([12])$/.exec(token);
    if (!match) throw new Error(`bad spec token ${token}`);
    const [, section, from, to, level] = match as unknown as [
      string,
      string,
      string,
      string | undefined,
      string,
    ];
    for (let n = Number(from); n <= Number(to ?? from); n += 1) levels.set(`${section}.${n}`, level);
  }
  return levels;
}

const STATUSES = ['covered', 'partial', 'not applicable'];
const expected = expand(ASVS_5_0_0_L1_L2);

interface Row {
  line: number;
  id: string;
  level: string;
  status: string;
  control: string;
  proof: string;
}

const rows: Row[] = text.split('\n').flatMap((line, index) => {
  if (!/^\| V\d+\.\d+\.\d+ \|/.test(line)) return [];
  const cells = line.split(/(?<!\\)\|/).slice(1, -1);
  const [id = '', level = '', , status = '', control = '', proof = ''] = cells.map((cell) => cell.trim());
  return [{ line: index + 1, id, level, status, control, proof, cellCount: cells.length }].map(
    ({ cellCount, ...row }) => {
      if (cellCount !== 6) throw new Error(`${DOC}:${index + 1} has ${cellCount} cells, expected 6`);
      return row;
    },
  );
});

const cites = (row: Row) =>
  /`(src|test|docs|deploy|scripts)\/[^`]+`|\]\([^)]+\.md[^)]*\)/.test(row.control + row.proof);

describe('docs/security/asvs.md', () => {
  it('lists every ASVS 5.0.0 level 1 and 2 requirement exactly once, with its level, and nothing else', () => {
    expect(expected.size).toBe(253);
    const seen = new Map<string, number>();
    for (const row of rows) seen.set(row.id, (seen.get(row.id) ?? 0) + 1);
    expect(
      [...seen].filter(([, n]) => n > 1).map(([id]) => id),
      'listed twice',
    ).toEqual([]);
    expect(
      [...expected.keys()].filter((id) => !seen.has(id)),
      'missing',
    ).toEqual([]);
    expect(
      [...seen.keys()].filter((id) => !expected.has(id)),
      'not an L1/L2 id of ASVS 5.0.0',
    ).toEqual([]);
    expect(rows.filter((r) => expected.get(r.id) !== r.level).map((r) => `${r.id} L${r.level}`)).toEqual([]);
  });

  it('gives every row a status and a control or reason; covered rows cite their proof', () => {
    const problems = rows.flatMap((r) => {
      const where = `${DOC}:${r.line} ${r.id}`;
      if (!STATUSES.includes(r.status)) return [`${where}: status "${r.status}"`];
      if (r.control === '' || r.control === '—') return [`${where}: no control or reason`];
      if (r.proof === '') return [`${where}: empty proof cell (use —)`];
      const byConstruction = /^— \((by construction|runtime)\)$/.test(r.proof);
      if (r.status === 'covered' && !cites(r) && !byConstruction) return [`${where}: covered without proof`];
      if (r.status === 'covered' && r.proof === '—') return [`${where}: covered without proof`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('cites only paths and documents that exist', () => {
    const missing: string[] = [];
    for (const [, path] of text.matchAll(/`((?:src|test|docs|deploy|scripts)\/[^`\s]+)`/g)) {
      if (!existsSync(join(root, path as string))) missing.push(path as string);
    }
    for (const [, link] of text.matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)) {
      if (/^https?:/.test(link as string)) continue;
      if (!existsSync(resolve(root, dirname(DOC), link as string))) missing.push(link as string);
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('names exactly the partial rows under "Gaps for the lead"', () => {
    const gaps = text.split('## Gaps for the lead')[1] ?? '';
    const named = new Set(gaps.match(/V\d+\.\d+\.\d+/g) ?? []);
    const partial = new Set(rows.filter((r) => r.status === 'partial').map((r) => r.id));
    expect(
      [...partial].filter((id) => !named.has(id)),
      'partial but not in Gaps',
    ).toEqual([]);
    expect(
      [...named].filter((id) => !partial.has(id)),
      'in Gaps but not partial',
    ).toEqual([]);
  });
});
