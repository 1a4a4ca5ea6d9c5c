import {
  callCounts,
  type CallSample,
  rateUsage,
  share429,
} from '../../bench/rate-usage.js';

const WINDOW = 2_000;

/** `count` calls spread inside window `index` (epoch-aligned). */
function callsIn(
  index: number,
  count: number,
  status = 201,
  endpoint = 'deleteUsers',
): CallSample[] {
  return Array.from({ length: count }, (_, i) => ({
    endpoint,
    status,
    at: index * WINDOW + 10 + i,
  }));
}

describe('rateUsage', () => {
  it('measures the interior windows only, since the first and last are partial', () => {
    const calls = [
      ...callsIn(100, 3),
      ...callsIn(101, 10),
      ...callsIn(102, 8),
      ...callsIn(103, 1),
    ];

    const usage = rateUsage(calls, {
      endpoint: 'deleteUsers',
      windowMs: WINDOW,
      limit: 10,
    });

    expect(usage.windows).toBe(4);
    expect(usage.acceptedPerWindow).toEqual([3, 10, 8, 1]);
    expect(usage.fractionUsed).toBeCloseTo(0.9);
    expect(usage.peakFraction).toBe(1);
    expect(usage.accepted).toBe(22);
  });

  it('counts an empty window between two busy ones as unused quota', () => {
    const calls = [...callsIn(0, 10), ...callsIn(2, 10), ...callsIn(4, 10)];

    const usage = rateUsage(calls, {
      endpoint: 'deleteUsers',
      windowMs: WINDOW,
      limit: 10,
    });

    expect(usage.acceptedPerWindow).toEqual([10, 0, 10, 0, 10]);
    expect(usage.fractionUsed).toBeCloseTo(1 / 3);
  });

  it('uses every window when there are fewer than three', () => {
    const usage = rateUsage([...callsIn(7, 5), ...callsIn(8, 10)], {
      endpoint: 'deleteUsers',
      windowMs: WINDOW,
      limit: 10,
    });

    expect(usage.fractionUsed).toBeCloseTo(0.75);
  });

  it('ignores rejected calls and other endpoints when counting the quota used', () => {
    const calls = [
      ...callsIn(1, 10),
      ...callsIn(1, 4, 429),
      ...callsIn(1, 10, 200, 'getTask'),
    ];

    const usage = rateUsage(calls, {
      endpoint: 'deleteUsers',
      windowMs: WINDOW,
      limit: 10,
    });

    expect(usage.accepted).toBe(10);
    expect(usage.rejected429).toBe(4);
    expect(usage.rejectedPerWindow).toEqual([4]);
    expect(usage.fractionUsed).toBe(1);
  });

  it('moves a call into the window that counted it when the sandbox adds latency', () => {
    const calls = [
      { endpoint: 'deleteUsers', status: 201, at: 2 * WINDOW - 20 },
      { endpoint: 'deleteUsers', status: 201, at: 2 * WINDOW + 10 },
    ];
    const options = { endpoint: 'deleteUsers', windowMs: WINDOW, limit: 10 };

    expect(rateUsage(calls, options).acceptedPerWindow).toEqual([1, 1]);
    expect(
      rateUsage(calls, { ...options, offsetMs: 50 }).acceptedPerWindow,
    ).toEqual([2]);
  });

  it('reports zero use when nothing was accepted', () => {
    const usage = rateUsage(callsIn(3, 2, 429), {
      endpoint: 'deleteUsers',
      windowMs: WINDOW,
      limit: 10,
    });

    expect(usage).toMatchObject({
      windows: 0,
      fractionUsed: 0,
      rejected429: 2,
    });
  });
});

describe('share429', () => {
  it('gives the share of all calls, or of one endpoint, answered 429', () => {
    const calls = [
      ...callsIn(0, 6),
      ...callsIn(0, 2, 429),
      ...callsIn(0, 2, 200, 'getTask'),
    ];

    expect(share429(calls)).toBeCloseTo(0.2);
    expect(share429(calls, 'deleteUsers')).toBeCloseTo(0.25);
    expect(share429([], 'deleteUsers')).toBe(0);
  });
});

describe('callCounts', () => {
  it('counts calls by endpoint and status', () => {
    const calls = [...callsIn(0, 2), ...callsIn(0, 1, 429)];

    expect(callCounts(calls)).toEqual({ deleteUsers: { 201: 2, 429: 1 } });
  });
});
