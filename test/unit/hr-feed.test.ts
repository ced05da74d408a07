import { describe, expect, it } from 'vitest';
import { HR_FEED_LIMITS } from '../../src/contract/api/directory.ts';
import { parseHrFeed, type RowError } from '../../src/server/modules/directory/hr-feed.parse.ts';

const csv = (text: string) => parseHrFeed(text, 'csv');
const json = (value: unknown) => parseHrFeed(JSON.stringify(value), 'json');
const brief = (errors: RowError[]) => errors.map((e) => `${e.row ?? '-'}|${e.field}|${e.message}`);

describe('HR feed parsing: CSV', () => {
  it('reads a BOM, header case and spacing, quoted fields with commas and newlines, blank lines', () => {
    const text =
      '\uFEFF Employee Number ,E-mail,Display_Name,MANAGER,Department,Title,Builder-Relations,Cost Center\r\n' +
      '\r\n' +
      'E1,ada@example.com,"Lovelace, Ada",,Engineering,"Director, ""Analytical"" Engines",yes,CC1\r\n' +
      '\n' +
      'E2,bob@example.com,Bob Builder,E1,Engineering,Engineer,0,"CC\n2"\r\n' +
      ',,,,,,,\r\n' +
      'E3,cy@example.com,,E1,,,,CC3\n';
    const feed = csv(text);
    expect(feed.errors).toEqual([]);
    expect(feed.ignoredColumns).toEqual(['Cost Center']);
    expect(feed.rows).toEqual([
      {
        row: 3,
        employeeNumber: 'E1',
        email: 'ada@example.com',
        name: 'Lovelace, Ada',
        manager: null,
        department: 'Engineering',
        title: 'Director, "Analytical" Engines',
        builderRelations: true,
      },
      {
        row: 5,
        employeeNumber: 'E2',
        email: 'bob@example.com',
        name: 'Bob Builder',
        manager: 'E1',
        department: 'Engineering',
        title: 'Engineer',
        builderRelations: false,
      },
      // Empty name and builder_relations are not asserted; empty department and title clear them.
      { row: 8, employeeNumber: 'E3', email: 'cy@example.com', manager: 'E1', department: null, title: null },
    ]);
  });

  it('leaves absent columns unasserted', () => {
    const feed = csv('employee_number,email\nE1,a@example.com\n');
    expect(feed.errors).toEqual([]);
    expect(feed.rows).toEqual([{ row: 2, employeeNumber: 'E1', email: 'a@example.com' }]);
  });

  it('accepts every builder_relations spelling and refuses others, naming the row', () => {
    const feed = csv(
      'employee_number,email,builder_relations\n' +
        'E1,a@x.com,TRUE\nE2,b@x.com,No\nE3,c@x.com,1\nE4,d@x.com,n\nE5,e@x.com,maybe\n',
    );
    expect(feed.rows.map((r) => r.builderRelations)).toEqual([true, false, true, false]);
    expect(brief(feed.errors)).toEqual([
      '6|builder_relations|must be true/false, yes/no or 1/0 (got "maybe")',
    ]);
  });

  it('reports every row-level problem with its row and column', () => {
    const long = 'x'.repeat(HR_FEED_LIMITS.name + 1);
    const feed = csv(
      [
        'employee_number,email,name,manager',
        ',a@example.com,A,', // 2: no employee number
        'E2,not-an-email,B,', // 3: bad e-mail
        'E3,,C,', // 4: no e-mail
        `E4,d@example.com,${long},`, // 5: name too long
        'E5,e@example.com,E,E5', // 6: own manager
        'E6,f@example.com,F,E7', // 7, 8: loop
        'E7,g@example.com,G,E6',
        'E8,A@EXAMPLE.COM,H,', // 9: duplicate e-mail (case-insensitive)
        'E2,i@example.com,I,', // 10: duplicate employee number
        'E 9,j@example.com,J,', // 11: space in employee number
        'E10,k@example.com,K', // 12: too few values
      ].join('\n'),
    );
    expect(brief(feed.errors)).toEqual([
      '2|employee_number|is required',
      '3|email|"not-an-email" is not a valid e-mail address',
      '4|email|is required',
      `5|name|must be at most ${HR_FEED_LIMITS.name} characters`,
      '6|manager|a person cannot be their own manager',
      '7|manager|the manager chain loops: row 7 → row 8 → row 7',
      '8|manager|the manager chain loops: row 7 → row 8 → row 7',
      '9|email|A@EXAMPLE.COM is also on row 2',
      '10|employee_number|E2 is also on row 3',
      '11|employee_number|must not contain spaces',
      '12|file|has 3 values; the header has 4 columns',
    ]);
  });

  it('refuses broken CSV, a missing header, a column named twice, control characters', () => {
    expect(brief(csv('employee_number,email\n"E1,a@x.com\n').errors)[0]).toMatch(
      /^\d+\|file\|is not valid CSV/,
    );
    expect(brief(csv('\n\n').errors)).toEqual(['-|file|has no header row']);
    expect(brief(csv('employee_number;email\nE1;a@x.com\n').errors)).toEqual([
      '1|file|the header has no employee_number or email column (columns are separated by commas)',
    ]);
    expect(brief(csv('employee_number,email\n').errors)).toEqual(['-|file|has no people in it']);
    expect(brief(csv('employee_number,email,name,display name\nE1,a@x.com,A,B\n').errors)).toEqual([
      '1|name|appears twice ("name" and "display name")',
    ]);
    expect(brief(csv('employee_number,email,title\nE1,a@x.com,"A\u0007"\n').errors)).toEqual([
      '2|title|must not contain control characters',
    ]);
  });

  it('is bounded in bytes and rows', () => {
    const big = Buffer.alloc(HR_FEED_LIMITS.bytes + 1, 'a');
    expect(brief(parseHrFeed(big, 'csv').errors)).toEqual([
      `-|file|is ${HR_FEED_LIMITS.bytes + 1} bytes; the limit is ${HR_FEED_LIMITS.bytes} bytes (10 MB)`,
    ]);
    const rows = Array.from({ length: HR_FEED_LIMITS.rows + 1 }, (_, i) => `E${i},p${i}@x.com`);
    const feed = csv(`employee_number,email\n${rows.join('\n')}\n`);
    expect(feed.rows).toEqual([]);
    expect(brief(feed.errors)).toEqual([
      `-|file|has more than ${HR_FEED_LIMITS.rows} rows; split the organization or raise the limit`,
    ]);
  });
});

describe('HR feed parsing: JSON', () => {
  it('reads an array or {people: [...]}, with camelCase or snake_case keys and typed values', () => {
    const people = [
      { employee_number: 1001, email: 'a@x.com', display_name: 'A', builder_relations: true, manager: null },
      { employeeNumber: 'E2', email: 'b@x.com', name: 'B', manager: 1001, builderRelations: 'no', extra: 1 },
    ];
    for (const feed of [json(people), json({ people })]) {
      expect(feed.errors).toEqual([]);
      expect(feed.ignoredColumns).toEqual(['extra']);
      expect(feed.rows).toEqual([
        {
          row: 1,
          employeeNumber: '1001',
          email: 'a@x.com',
          name: 'A',
          builderRelations: true,
          manager: null,
        },
        {
          row: 2,
          employeeNumber: 'E2',
          email: 'b@x.com',
          name: 'B',
          manager: '1001',
          builderRelations: false,
        },
      ]);
    }
  });

  it('reports bad JSON shapes and values by position', () => {
    expect(brief(parseHrFeed('{nope', 'json').errors)[0]).toMatch(/^-\|file\|is not valid JSON/);
    expect(brief(json({ staff: [] }).errors)).toEqual([
      '-|file|must be a JSON array of people or {"people": [...]}',
    ]);
    expect(
      brief(
        json([
          'E1',
          { employee_number: 'E2', email: { value: 'b@x.com' } },
          { employee_number: 'E3', email: 'c@x.com', title: true },
          { employee_number: 'E4', email: 'd@x.com', manager: 'E9 ' },
        ]).errors,
      ),
    ).toEqual([
      '1|file|must be an object',
      '2|email|must be a text, number or boolean value',
      '2|email|is required',
      '3|title|must be text',
    ]);
  });
});
