import { ScimCredentialName } from '../contract/api/scim.ts';
import type { Db } from '../server/db/client.ts';
import { AppError } from '../server/errors.ts';
import { systemContext } from '../server/modules/identity/actor.ts';
import {
  createCredential,
  listCredentials,
  revokeCredential,
} from '../server/modules/scim/scim.credentials.ts';

type Out = (line: string) => void;

export const SCIM_HELP = `  scim credential create --name <name>
                   Create the identity provider's SCIM provisioning credential: prints the token ONCE
                   (paste it into the IdP's SCIM connection). Rotate: create a new one, switch, revoke.
  scim credential list
                   List SCIM credentials: name, status, visible prefix, created, last used.
  scim credential revoke --name <name>
                   Revoke the active credential of that name; the IdP is refused from its next request.
`;

const when = (iso: string | null) => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '-');

/**
 * `bi scim credential create|list|revoke`; the database is opened (withDb) only for a valid command. Exit
 * codes: 0 done, 1 refused (name taken, none active, …), 2 usage.
 */
export async function scimCredentialCli(
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
  sub: string,
  values: { name?: string | undefined },
  out: Out,
  err: Out,
): Promise<number> {
  if (!['create', 'list', 'revoke'].includes(sub)) {
    err(`Unknown command "scim credential ${sub}". Use create, list or revoke.`);
    return 2;
  }
  const name = ScimCredentialName.safeParse(values.name ?? '');
  if (sub !== 'list' && !name.success) {
    err(`scim credential ${sub} needs --name <name>: ${name.error?.issues[0]?.message ?? 'invalid'}.`);
    return 2;
  }
  return withDb((db) => run(db, sub, name.data ?? '', out, err));
}

async function run(db: Db, sub: string, name: string, out: Out, err: Out): Promise<number> {
  const ctx = systemContext('cli');
  const now = new Date();
  try {
    if (sub === 'list') {
      const items = await listCredentials(db);
      if (items.length === 0)
        out('No SCIM credentials. Create one with `bi scim credential create --name <name>`.');
      for (const c of items) {
        out(
          `${c.name.padEnd(20)} ${c.status.padEnd(8)} ${c.prefix}…  created ${when(c.createdAt)}  last used ${when(c.lastUsedAt)}${c.revokedAt ? `  revoked ${when(c.revokedAt)}` : ''}`,
        );
      }
      return 0;
    }
    if (sub === 'create') {
      const created = await createCredential(db, ctx, name, now);
      out(`SCIM credential "${created.name}" created. Shown once; store it in the identity provider now:`);
      out(`  ${created.token}`);
      out('Then revoke any credential it replaces: `bi scim credential revoke --name <old name>`.');
      return 0;
    }
    const revoked = await revokeCredential(db, ctx, { name }, now);
    out(
      `SCIM credential "${revoked.name}" (${revoked.prefix}…) revoked; requests with it are refused from now on.`,
    );
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}
