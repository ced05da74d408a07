/**
 * Writes docs/security/audit-catalog.md from the audit catalog (AUDIT_CATALOG in src/contract/audit-events*.ts).
 * Run it after adding or changing an audited action:  npm run docs:audit-catalog
 * test/unit/audit-catalog-doc.test.ts fails while the committed document differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CATALOG_DOC, renderCatalogMarkdown } from '../src/server/modules/audit/audit.describe.ts';

const target = resolve(import.meta.dirname, '..', CATALOG_DOC);
writeFileSync(target, renderCatalogMarkdown());
process.stdout.write(`Wrote ${CATALOG_DOC}\n`);
