import { BenchArgsError, parseBenchArgs } from '../../bench/cli-args.js';

describe('parseBenchArgs', () => {
  it('runs every scenario at full size by default', () => {
    expect(parseBenchArgs([])).toEqual({
      only: ['latency', 'rate', 'overhead', 'ids', 'workers'],
      quick: false,
      profile: false,
      workerEnv: {},
    });
  });

  it('keeps the canonical order whatever order --only lists', () => {
    expect(parseBenchArgs(['--only=rate,latency', '--quick']).only).toEqual([
      'latency',
      'rate',
    ]);
    expect(parseBenchArgs(['--only', 'ids']).only).toEqual(['ids']);
  });

  it('collects --env settings for the worker processes', () => {
    expect(
      parseBenchArgs(['--env', 'WORKER_CONCURRENCY=32', '--env=LOG_LEVEL=warn'])
        .workerEnv,
    ).toEqual({ WORKER_CONCURRENCY: '32', LOG_LEVEL: 'warn' });
    expect(() => parseBenchArgs(['--env', 'concurrency'])).toThrow(/KEY=VALUE/);
  });

  it('refuses unknown scenarios and flags with a message naming them', () => {
    expect(() => parseBenchArgs(['--only=latency,speed'])).toThrow(
      BenchArgsError,
    );
    expect(() => parseBenchArgs(['--only='])).toThrow(/latency, rate/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument --fast/);
  });
});
