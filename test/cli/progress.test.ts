import {
  formatDuration,
  progressOf,
  renderProgressBar,
  renderProgressLine,
} from '../../src/cli/progress.js';
import type {
  BatchOutcome,
  RequestRecord,
} from '../../src/requests/request-record.js';

const START = Date.parse('2026-01-10T10:00:00.000Z');

function batch(index: number, status: BatchOutcome['status'], size = 100) {
  return { index, target: 'users', size, status, attempts: 1 } as const;
}

function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 'req_progress',
    kind: 'erasure',
    status: 'running',
    subjects: { userIds: [], channelCids: [] },
    counts: { users: 250, channels: 150 },
    options: { mode: 'hard', deleteFiles: true },
    receivedAt: new Date(START).toISOString(),
    deadlineAt: new Date(START + 31 * 86_400_000).toISOString(),
    createdAt: new Date(START).toISOString(),
    updatedAt: new Date(START).toISOString(),
    startedAt: new Date(START).toISOString(),
    batches: [
      batch(0, 'completed'),
      batch(1, 'completed'),
      batch(2, 'waiting_on_stream', 50),
      batch(3, 'pending'),
      batch(4, 'pending', 50),
    ],
    failures: [],
    events: [],
    ...overrides,
  };
}

describe('progress of a request', () => {
  it('counts ended batches, their ids, and estimates the rest from the pace so far', () => {
    const progress = progressOf(record(), START + 10_000);

    expect(progress).toEqual({
      batchesDone: 2,
      batchesTotal: 5,
      batchesFailed: 0,
      idsDone: 200,
      idsTotal: 400,
      elapsedMs: 10_000,
      etaMs: 15_000,
      status: 'running',
    });
  });

  it('gives no ETA before the first batch ended nor after the request ended', () => {
    const fresh = record({
      batches: [batch(0, 'pending'), batch(1, 'pending')],
    });
    const done = record({
      status: 'completed',
      finishedAt: new Date(START + 4000).toISOString(),
      batches: [batch(0, 'completed'), batch(1, 'completed')],
    });

    expect(progressOf(fresh, START + 1000).etaMs).toBeUndefined();
    expect(progressOf(done, START + 60_000)).toMatchObject({
      etaMs: undefined,
      elapsedMs: 4000,
      idsDone: 400,
    });
  });

  it('plans the batch count from the subject counts while batches are not yet recorded', () => {
    const erasure = record({ batches: [], status: 'queued' });
    const exportRecord = record({
      kind: 'export',
      counts: { users: 30, channels: 0 },
      batches: [],
    });

    expect(progressOf(erasure, START).batchesTotal).toBe(5);
    expect(progressOf(exportRecord, START).batchesTotal).toBe(2);
  });
});

describe('renderProgressBar', () => {
  it('draws a bar proportional to the ended batches, with counts, times and status', () => {
    const line = renderProgressBar(record(), START + 10_000, 100);

    expect(line).toBe(
      `[${'█'.repeat(12)}${'░'.repeat(18)}] 2/5 batches · 200/400 ids · 00:10 · ETA 00:15 · running`,
    );
    expect(line.length).toBeLessThanOrEqual(100);
  });

  it('never exceeds the terminal width, dropping the bar when it cannot fit', () => {
    for (const width of [20, 40, 60, 80, 120, 200]) {
      expect(
        renderProgressBar(record(), START + 5000, width).length,
      ).toBeLessThanOrEqual(width);
    }
    expect(renderProgressBar(record(), START, 60)).not.toContain('[');
  });

  it('shows failed batches and a full bar once the request ended', () => {
    const ended = record({
      status: 'partially_failed',
      counts: { users: 200, channels: 0 },
      finishedAt: new Date(START + 3_723_000).toISOString(),
      batches: [batch(0, 'completed'), batch(1, 'failed')],
    });

    expect(renderProgressBar(ended, START + 9_999_999, 90)).toMatch(
      /^\[█+\] 2\/2 batches \(1 failed\) · 200\/200 ids · 1:02:03 · partially_failed$/,
    );
  });
});

describe('renderProgressLine', () => {
  it('prefixes the progress with the time and the request id, for logs and pipes', () => {
    expect(renderProgressLine(record(), START + 10_000)).toBe(
      '2026-01-10T10:00:10.000Z req_progress: 2/5 batches · 200/400 ids · 00:10 · ETA 00:15 · running',
    );
  });
});

describe('formatDuration', () => {
  it('writes minutes and seconds, and hours from one hour on', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(59_499)).toBe('00:59');
    expect(formatDuration(61_000)).toBe('01:01');
    expect(formatDuration(3_600_000)).toBe('1:00:00');
  });
});

describe('renderProgressBar as the request moves on', () => {
  it('keeps the bar the same width while status and ETA change', () => {
    const barWidth = (line: string) => line.indexOf(']') - 1;
    const states = [
      record({ status: 'queued', batches: [batch(0, 'pending')] }),
      record({ status: 'running' }),
      record({ status: 'waiting_on_stream' }),
    ];

    const widths = states.map((state) =>
      barWidth(renderProgressBar(state, START + 10_000, 110)),
    );

    expect(new Set(widths).size).toBe(1);
  });
});
