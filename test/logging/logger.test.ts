import { Writable } from 'node:stream';

import { CENSOR, createLogger } from '../../src/logging/logger.js';

function captureLogger(level = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

describe('createLogger', () => {
  it('writes structured lines carrying the bindings of its children', () => {
    const { logger, lines } = captureLogger();

    logger
      .child({ requestId: 'req-1', jobId: 'j1', queue: 'batches', attempt: 2 })
      .info({ batches: 3 }, 'request planned');

    expect(lines[0]).toMatchObject({
      level: 30,
      requestId: 'req-1',
      jobId: 'j1',
      queue: 'batches',
      attempt: 2,
      batches: 3,
      msg: 'request planned',
    });
  });

  it('redacts credentials and personal data fields wherever they sit', () => {
    const { logger, lines } = captureLogger();
    const secret = 'very-secret-value';

    logger.debug(
      {
        headers: { authorization: 'eyJhbGciOi.jwt.token' },
        apiSecret: secret,
        request: { userIds: ['alice'], email: 'alice@example.com' },
        token: 'api-token-value',
      },
      'call',
    );

    const text = JSON.stringify(lines);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).not.toContain('alice');
    expect(text).not.toContain('api-token-value');
    expect(text).toContain(CENSOR);
  });

  it('honours the level', () => {
    const { logger, lines } = captureLogger('warn');

    logger.info('hidden');
    logger.warn('shown');

    expect(lines.map((line) => line.msg)).toEqual(['shown']);
  });
});
