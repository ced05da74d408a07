import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The demo workforce directory (workforce.json): the dev IdP's accounts, the demo data's authors. */
export const WorkforcePerson = z.strictObject({
  sub: z.string().min(1),
  email: z.email(),
  givenName: z.string().min(1),
  familyName: z.string().min(1),
  title: z.string(),
  department: z.string(),
  employeeNumber: z.string(),
  managerEmail: z.email().nullable(),
  /** In Builder Relations per the org source (the HR feed's builder_relations). */
  builderRelations: z.boolean().default(false),
  groups: z.array(z.string()),
  mfa: z.boolean(),
});
export type WorkforcePerson = z.infer<typeof WorkforcePerson>;

const Workforce = z.object({ domain: z.string(), people: z.array(WorkforcePerson).min(1) });

export const WORKFORCE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workforce.json');

let cached: WorkforcePerson[] | null = null;

export function loadWorkforce(): WorkforcePerson[] {
  cached ??= Workforce.parse(JSON.parse(readFileSync(WORKFORCE_FILE, 'utf8'))).people;
  return cached;
}

export function displayName(person: WorkforcePerson): string {
  return `${person.givenName} ${person.familyName}`;
}
