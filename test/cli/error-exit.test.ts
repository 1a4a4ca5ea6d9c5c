import { UnreachableError, UsageError } from '../../src/cli/cli-errors.js';
import { describeError, exitCodeFor } from '../../src/cli/error-exit.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { InputError } from '../../src/errors/input-error.js';
import { RedisUnavailableError } from '../../src/errors/redis-unavailable-error.js';
import { RequestConflictError } from '../../src/errors/request-conflict-error.js';

describe('exitCodeFor', () => {
  it('maps bad input, configuration, usage and conflicts to 2', () => {
    expect(
      exitCodeFor(new InputError([{ field: 'userIds', message: 'x' }])),
    ).toBe(2);
    expect(
      exitCodeFor(new ConfigError([{ field: 'REDIS_URL', message: 'x' }])),
    ).toBe(2);
    expect(exitCodeFor(new UsageError('no ids'))).toBe(2);
    expect(exitCodeFor(new RequestConflictError('req-1'))).toBe(2);
  });

  it('maps an unreachable Redis or Stream to 3, also for raw connection errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });

    expect(exitCodeFor(new RedisUnavailableError('connection failed'))).toBe(3);
    expect(exitCodeFor(new UnreachableError('no redis-server'))).toBe(3);
    expect(exitCodeFor(refused)).toBe(3);
  });

  it('maps anything unexpected to 1', () => {
    expect(exitCodeFor(new TypeError('boom'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
  });
});

describe('describeError', () => {
  it('names the flags behind the library fields and the position of a bad id', () => {
    const error = new InputError([
      { field: 'userIds.4', message: 'expected a Stream user id' },
      { field: 'receivedAt', message: 'expected a valid date' },
    ]);

    expect(describeError(error)).toBe(
      [
        'Invalid input:',
        '  - --user/--users-file (id #5): expected a Stream user id',
        '  - --received-at: expected a valid date',
      ].join('\n'),
    );
  });

  it('says an unexpected error is unexpected, without its stack', () => {
    const text = describeError(new TypeError('boom'));

    expect(text).toBe('Unexpected error: boom');
  });

  it('tells what to check when Redis is unavailable', () => {
    expect(
      describeError(new RedisUnavailableError('connection failed')),
    ).toContain('check REDIS_URL');
  });
});
