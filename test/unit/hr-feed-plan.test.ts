import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type HrRow, parseHrFeed } from '../../src/server/modules/directory/hr-feed.parse.ts';
import { planImport } from '../../src/server/modules/directory/hr-feed.plan.ts';
import type { OrgPerson } from '../../src/server/modules/directory/org.snapshot.ts';

function person(name: string, facts: Partial<OrgPerson> = {}): OrgPerson {
  return {
    id: randomUUID(),
    status: 'active',
    email: `${name.toLowerCase()}@example.com`,
    displayName: name,
    employeeNumber: null,
    department: null,
    title: null,
    managerId: null,
    builderRelations: false,
    orgSource: 'hr',
    hrRecord: null,
    ...facts,
  };
}

function rows(csv: string): HrRow[] {
  const feed = parseHrFeed(csv, 'csv');
  expect(feed.errors).toEqual([]);
  return feed.rows;
}

const errorsOf = (plan: ReturnType<typeof planImport>) =>
  plan.errors.map((e) => `${e.row}|${e.field}|${e.message}`);

describe('HR import plan', () => {
  const dana = person('Dana', { employeeNumber: 'E1', title: 'Director' });
  const maya = person('Maya', { employeeNumber: 'E2', managerId: dana.id, department: 'BR' });
  const ari = person('Ari', { employeeNumber: 'E3', managerId: maya.id, department: 'BR' });
  const gus = person('Gus', { employeeNumber: 'E4', managerId: maya.id });
  const scim = person('Sam', { employeeNumber: 'E5', orgSource: 'scim', department: 'Sales' });
  const sso = person('Sol', { orgSource: null, status: 'provisional' });
  const gone = person('Rex', { employeeNumber: 'E7', status: 'deactivated' });
  const org = [dana, maya, ari, gus, scim, sso, gone];

  it('sorts rows into joiners, movers (field by field), leavers, unchanged and conflicts', () => {
    const plan = planImport(
      rows(
        [
          'employee_number,email,name,manager,department,title',
          'E1,dana@example.com,Dana,,,Director', // unchanged
          'E2,maya@example.com,Maya,E1,BR,', // unchanged
          'E3,ari@example.com,Ari Levy,E9,BR,Advocate', // mover: name, manager → joiner, title
          'E9,new@example.com,Nia,E2,BR,Manager', // joiner
          'E5,sam@example.com,Sam,E1,Marketing,', // SCIM-managed: conflicts, not applied
          'E6,SOL@example.com,Sol,E1,,', // adopted by e-mail
          'E7,rex@example.com,Rex,E1,,', // reactivated
        ].join('\n'),
      ),
      org,
    );
    expect(errorsOf(plan)).toEqual([]);
    expect(plan.counts).toEqual({
      rows: 7,
      joiners: 1,
      movers: 3,
      leavers: 1,
      unchanged: 2,
      conflicts: 1,
      otherSource: 1,
    });
    expect(plan.diff.joiners).toEqual([
      {
        row: 5,
        employeeNumber: 'E9',
        email: 'new@example.com',
        name: 'Nia',
        department: 'BR',
        title: 'Manager',
        manager: 'Maya (E2)',
        builderRelations: false,
      },
    ]);
    expect(plan.diff.movers).toEqual([
      {
        row: 4,
        personId: ari.id,
        employeeNumber: 'E3',
        name: 'Ari Levy',
        changes: [
          { field: 'name', before: 'Ari', after: 'Ari Levy' },
          { field: 'manager', before: 'Maya (E2)', after: 'Nia (E9, joining)' },
          { field: 'title', before: null, after: 'Advocate' },
        ],
      },
      {
        row: 7,
        personId: sso.id,
        employeeNumber: 'E6',
        name: 'Sol',
        changes: [
          { field: 'employeeNumber', before: null, after: 'E6' },
          { field: 'manager', before: null, after: 'Dana (E1)' },
          { field: 'status', before: 'provisional', after: 'active' },
          { field: 'orgSource', before: null, after: 'hr' },
        ],
      },
      {
        row: 8,
        personId: gone.id,
        employeeNumber: 'E7',
        name: 'Rex',
        changes: [
          { field: 'manager', before: null, after: 'Dana (E1)' },
          { field: 'status', before: 'deactivated', after: 'active' },
        ],
      },
    ]);
    expect(plan.updates.find((u) => u.person.id === gone.id)?.reactivate).toBe(true);
    expect(plan.diff.leavers).toEqual([
      { personId: gus.id, employeeNumber: 'E4', name: 'Gus', email: 'gus@example.com' },
    ]);
    expect(plan.diff.conflicts).toEqual([
      {
        row: 6,
        personId: scim.id,
        employeeNumber: 'E5',
        name: 'Sam',
        managingSource: 'scim',
        fields: [
          { field: 'manager', inEffect: null, asserted: 'Dana (E1)' },
          { field: 'department', inEffect: 'Sales', asserted: 'Marketing' },
        ],
      },
    ]);
  });

  it('asks for confirmation when more than 10% (and more than 5) of HR-managed people would leave', () => {
    const staff = Array.from({ length: 40 }, (_, i) => person(`P${i}`, { employeeNumber: `P${i}` }));
    const keep = (n: number) =>
      rows(
        `employee_number,email\n${staff
          .slice(0, n)
          .map((p) => `${p.employeeNumber},${p.email}`)
          .join('\n')}`,
      );
    expect(planImport(keep(36), staff)).toMatchObject({ leaversNeedConfirmation: false }); // 4 leave
    expect(planImport(keep(35), staff)).toMatchObject({ leaversNeedConfirmation: false }); // 5 leave
    const many = planImport(keep(34), staff); // 6 of 40 = 15%
    expect(many.leaversNeedConfirmation).toBe(true);
    expect(many.diff.leavers.map((l) => l.name)).toEqual(['P34', 'P35', 'P36', 'P37', 'P38', 'P39']);
    const big = Array.from({ length: 100 }, (_, i) => person(`Q${i}`, { employeeNumber: `Q${i}` }));
    const bigRows = rows(
      `employee_number,email\n${big
        .slice(0, 90)
        .map((p) => `${p.employeeNumber},${p.email}`)
        .join('\n')}`,
    );
    expect(planImport(bigRows, big).leaversNeedConfirmation).toBe(false); // exactly 10%
  });

  it('refuses managers that are missing, deactivated or leaving', () => {
    const plan = planImport(
      rows(
        [
          'employee_number,email,manager',
          'E1,dana@example.com,',
          'E2,maya@example.com,E404',
          'E3,ari@example.com,E7',
          'E8,x@example.com,E4',
        ].join('\n'),
      ),
      org,
    );
    expect(errorsOf(plan)).toEqual([
      '3|manager|E404 is neither in the file nor an existing person',
      '4|manager|E7 (Rex) is deactivated and cannot manage anyone',
      '5|manager|E4 (Gus) is not in the file, so this import would deactivate them',
    ]);
  });

  it('refuses a loop through someone outside the file, naming the rows', () => {
    // Sam (SCIM) reports to Ari; the file makes Ari report to Sam.
    const sam = { ...scim, managerId: ari.id };
    const plan = planImport(
      rows(
        'employee_number,email,manager\nE1,dana@example.com,\nE2,maya@example.com,E1\nE3,ari@example.com,E5\nE4,gus@example.com,E2',
      ),
      [dana, maya, ari, gus, sam],
    );
    expect(errorsOf(plan)).toEqual([
      '4|manager|the manager chain would loop: row 4 → Sam (E5) (not in the file) → row 4',
    ]);
  });

  it('refuses e-mails another remaining person holds, and ambiguous e-mail matches', () => {
    const twin1 = person('Twin', { orgSource: null, email: 'twin@example.com' });
    const twin2 = person('Twin', { orgSource: null, email: 'twin@example.com' });
    const plan = planImport(
      rows(
        'employee_number,email\nE1,dana@example.com\nE2,maya@example.com\nE3,sam@example.com\nE4,gus@example.com\nE9,twin@example.com',
      ),
      [dana, maya, ari, gus, scim, twin1, twin2],
    );
    expect(errorsOf(plan)).toEqual([
      '4|email|sam@example.com is also the e-mail of Sam (E5), managed by SCIM',
      '6|email|matches 2 people without an employee number; cannot tell which one this is',
      '6|email|twin@example.com is also the e-mail of Twin',
    ]);
  });
});
