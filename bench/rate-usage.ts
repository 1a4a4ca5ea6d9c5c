/** The part of a sandbox call the rate figures need. */
export interface CallSample {
  readonly endpoint: string;
  readonly status: number;
  /** Epoch ms when the call arrived. */
  readonly at: number;
}

export interface RateUsage {
  /** Windows from the first to the last accepted call, both included. */
  readonly windows: number;
  /** Accepted calls in each of those windows, oldest first. */
  readonly acceptedPerWindow: readonly number[];
  /**
   * Mean accepted calls per window over limit, on the interior windows
   * (the first and last are partial by construction) when there are at
   * least three, else on all of them. 0 when nothing was accepted.
   */
  readonly fractionUsed: number;
  /** Fullest window over limit; above 1 means the quota was exceeded. */
  readonly peakFraction: number;
  readonly accepted: number;
  readonly rejected429: number;
  /** 429s in each window of `acceptedPerWindow` (earlier or later ones are left out). */
  readonly rejectedPerWindow: readonly number[];
}

/**
 * How much of a fixed-window quota one endpoint used. Windows align on
 * multiples of `windowMs` since the epoch, as the sandbox's limiter does.
 * `offsetMs` is the time between a call's arrival and the limiter's
 * decision (the sandbox's added latency), so calls land in the window that
 * counted them.
 */
export function rateUsage(
  calls: readonly CallSample[],
  options: {
    readonly endpoint: string;
    readonly windowMs: number;
    readonly limit: number;
    readonly offsetMs?: number;
  },
): RateUsage {
  const { endpoint, windowMs, limit } = options;
  const offsetMs = options.offsetMs ?? 0;
  const mine = calls.filter((call) => call.endpoint === endpoint);
  const accepted = mine.filter((call) => call.status < 400);
  const rejected429 = mine.filter((call) => call.status === 429).length;
  if (accepted.length === 0) {
    return {
      windows: 0,
      acceptedPerWindow: [],
      fractionUsed: 0,
      peakFraction: 0,
      accepted: 0,
      rejected429,
      rejectedPerWindow: [],
    };
  }

  const windowOf = (call: CallSample) =>
    Math.floor((call.at + offsetMs) / windowMs);
  const windowIds = accepted.map(windowOf);
  const first = windowIds.reduce((a, b) => Math.min(a, b));
  const last = windowIds.reduce((a, b) => Math.max(a, b));
  const acceptedPerWindow = new Array<number>(last - first + 1).fill(0);
  for (const id of windowIds) acceptedPerWindow[id - first]! += 1;
  const rejectedPerWindow = acceptedPerWindow.map(() => 0);
  for (const call of mine) {
    const index = windowOf(call) - first;
    if (call.status === 429 && index >= 0 && index < rejectedPerWindow.length) {
      rejectedPerWindow[index]! += 1;
    }
  }

  const measured =
    acceptedPerWindow.length >= 3
      ? acceptedPerWindow.slice(1, -1)
      : acceptedPerWindow;
  return {
    windows: acceptedPerWindow.length,
    acceptedPerWindow,
    fractionUsed: mean(measured) / limit,
    peakFraction: Math.max(...acceptedPerWindow) / limit,
    accepted: accepted.length,
    rejected429,
    rejectedPerWindow,
  };
}

/** Share of calls answered 429, over every endpoint or just one. */
export function share429(
  calls: readonly CallSample[],
  endpoint?: string,
): number {
  const mine =
    endpoint === undefined
      ? calls
      : calls.filter((call) => call.endpoint === endpoint);
  if (mine.length === 0) return 0;
  return mine.filter((call) => call.status === 429).length / mine.length;
}

/** Calls per endpoint and status, e.g. `{ deleteUsers: { 201: 50 } }`. */
export function callCounts(
  calls: readonly CallSample[],
): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const call of calls) {
    const byStatus = (counts[call.endpoint] ??= {});
    byStatus[String(call.status)] = (byStatus[String(call.status)] ?? 0) + 1;
  }

  return counts;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
