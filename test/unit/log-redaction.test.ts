import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_REDACT } from '../../src/server/plugins/logging.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ redact: { paths: LOG_REDACT, censor: '[redacted]' } }, stream), lines };
}

describe('log redaction', () => {
  it('censors personal fields and secrets at the top level and nested, and keeps ids', () => {
    const { log, lines } = capture();
    log.info(
      {
        email: 'ari.levy@example.com',
        name: 'Ari Levy',
        displayName: 'Ari Levy',
        token: 'bi_pat_secret',
        secret: 's3cret',
        person: { id: 'p-1', email: 'ben@example.com', displayName: 'Ben Carter', name: 'Ben' },
        change: { after: { email: 'camila@example.com', displayName: 'Camila Reyes' } },
        actorId: 'p-2',
      },
      'something happened',
    );
    const text = lines.join('');
    for (const secret of [
      'ari.levy@',
      'Ari Levy',
      'bi_pat_secret',
      's3cret',
      'ben@',
      'Ben Carter',
      'camila@',
      'Camila',
    ])
      expect(text).not.toContain(secret);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ actorId: 'p-2', person: { id: 'p-1', email: '[redacted]' } });
  });
});
