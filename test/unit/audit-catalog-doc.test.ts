import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_CATALOG } from '../../src/contract/audit-events.ts';
import { denialThrottle } from '../../src/server/modules/audit/audit.denials.ts';
import {
  CATALOG_DOC,
  describeCatalog,
  renderCatalogMarkdown,
} from '../../src/server/modules/audit/audit.describe.ts';

describe('the generated audit catalog document', () => {
  it('is committed exactly as the catalog generates it', () => {
    const committed = readFileSync(resolve(import.meta.dirname, '../..', CATALOG_DOC), 'utf8');
    expect(
      committed === renderCatalogMarkdown(),
      `${CATALOG_DOC} differs from AUDIT_CATALOG: run npm run docs:audit-catalog and commit the result`,
    ).toBe(true);
  });

  it('describes every action with its detail fields and their types', () => {
    const { actions } = describeCatalog();
    expect(actions.map((a) => a.action)).toEqual(Object.keys(AUDIT_CATALOG).sort());
    const failed = actions.find((a) => a.action === 'auth.sign_in.failed');
    expect(failed).toMatchObject({ family: 'auth', targetType: 'person' });
    expect(failed?.fields.find((f) => f.name === 'reason')?.type).toMatch(/^one of: idp_error \| /);
    expect(failed?.fields.find((f) => f.name === 'issuer')).toMatchObject({ type: 'string', optional: true });
    const bulk = actions.find((a) => a.action === 'insight.updated')?.fields;
    expect(bulk?.find((f) => f.name === 'fromVersion')?.type).toBe('integer');
    expect(bulk?.find((f) => f.name === 'changed')?.type).toBe('string[]');
    expect(bulk?.find((f) => f.name === 'bulkId')?.description).toMatch(/bulk retag/);
    const decided = actions.find((a) => a.action === 'access.exception.decided')?.fields;
    expect(decided?.find((f) => f.name === 'note')?.type).toBe('string or null');
  });
});

describe('the refusal throttle', () => {
  it('writes one event per key and window, and hands the held-back count to the next one', () => {
    let now = 0;
    const admit = denialThrottle(10_000, () => now);
    expect(admit('maya|POST /x')).toEqual({ write: true, suppressed: 0 });
    now = 9_999;
    expect(admit('maya|POST /x')).toEqual({ write: false, suppressed: 0 });
    expect(admit('maya|POST /x').write).toBe(false);
    expect(admit('ben|POST /x').write).toBe(true);
    now = 10_000;
    expect(admit('maya|POST /x')).toEqual({ write: true, suppressed: 2 });
    expect(admit('maya|POST /x')).toEqual({ write: false, suppressed: 0 });
  });
});
