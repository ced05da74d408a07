import { describe, expect, it } from 'vitest';
import { databaseName, operationName } from '../../src/server/observability/db-tracing.ts';

describe('database span naming', () => {
  it('takes the first keyword of the statement, after comments', () => {
    expect(operationName('select 1')).toBe('SELECT');
    expect(operationName('\n  -- a note\n /* and a block */ with x as (select 1) select * from x')).toBe(
      'WITH',
    );
    expect(operationName('  ')).toBeUndefined();
  });

  it('names the database of a connection string, falling back to what pg would use', () => {
    expect(databaseName('postgres://postgres@127.0.0.1:5432/bi_test_1')).toBe('bi_test_1');
    expect(databaseName('postgres://app@db.internal')).toBe('app');
    expect(databaseName('not a url')).toBe('postgres');
  });
});
