import type { Harness } from '../pipeline/pipeline-harness.js';
import { ids, startHarness } from '../pipeline/pipeline-harness.js';
import { cliEnv, runCli } from './cli-runner.js';

const KEY = 'pseudonym-key-cli-tests-0123456789abcdef';

let h: Harness;
let requestId: string;
const users = ids('cli-subject-', 3);

const env = (extra: Record<string, string> = {}) =>
  cliEnv({ REDIS_URL: h.config.redis.url, QUEUE_PREFIX: h.prefix, ...extra });

beforeAll(async () => {
  h = await startHarness({
    env: { RECORD_PSEUDONYMISE: 'true', RECORD_PSEUDONYM_KEY: KEY },
  });
  h.sandbox.seed({ users: users.map((id) => ({ id })) });
  ({ requestId } = await h.client.requestErasure({ userIds: users }));
  await h.client.waitForRequest(requestId, { timeoutMs: 20_000 });
});

afterAll(async () => {
  await h?.close();
});

describe('stream-gdpr status --subject', () => {
  it('tells which request erased a pseudonymised subject and when, as JSON, and exits 0', async () => {
    const result = await runCli(
      ['status', '--subject', users[1]!, '--json'],
      env({ RECORD_PSEUDONYM_KEY: KEY }),
    );
    const record = await h.client.getRequest(requestId, { subjectLimit: 0 });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      found: true,
      pseudonymisedSearched: true,
      requests: [
        {
          requestId,
          kind: 'erasure',
          status: 'completed',
          finishedAt: record?.finishedAt,
          subjectKind: 'user',
          outcome: 'erased',
          erased: true,
          pseudonymised: true,
        },
      ],
    });
  });

  it('prints one line per request without echoing the subject id', async () => {
    const result = await runCli(
      ['status', '--subject', users[0]!],
      env({ RECORD_PSEUDONYM_KEY: KEY }),
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('appears in 1 finished request');
    expect(result.stdout).toMatch(
      new RegExp(
        `${requestId} {2}erasure completed {2}finished \\S+ {2}user erased`,
      ),
    );
    expect(result.stdout).not.toContain(users[0]!);
  });

  it('exits 2 when no finished request mentions the subject, and says when pseudonymised records could not be searched', async () => {
    const unknown = await runCli(
      ['status', '--subject', 'never-seen', '--json'],
      env({ RECORD_PSEUDONYM_KEY: KEY }),
    );
    const withoutKey = await runCli(['status', '--subject', users[1]!], env());

    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({
      found: false,
      pseudonymisedSearched: true,
      requests: [],
    });
    expect(withoutKey.code).toBe(2);
    expect(withoutKey.stdout).toContain(
      'No finished request mentions this subject.',
    );
    expect(withoutKey.stdout).toContain('RECORD_PSEUDONYM_KEY is not set');
  });

  it('exits 2 on a malformed subject, a wrong --kind, or a request id given as well', async () => {
    const [malformed, wrongKind, both, neither] = await Promise.all([
      runCli(['status', '--subject', 'has space'], env()),
      runCli(['status', '--subject', 'alice', '--kind', 'channel'], env()),
      runCli(['status', requestId, '--subject', 'alice'], env()),
      runCli(['status'], env()),
    ]);

    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('subject: expected a Stream user id');
    expect(malformed.stderr).not.toContain('has space');
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toContain('expected a channel cid');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--subject takes no request id');
    expect(neither.code).toBe(2);
  });

  it('documents --subject and its exit codes in --help', async () => {
    const result = await runCli(['status', '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--subject <id>');
    expect(result.stdout).toContain(
      '2 unknown request id or no finished request mentions the subject',
    );
  });
});
