import { setTimeout as delay } from 'node:timers/promises';

import type { RateBudget } from '../rate-budget/rate-budget.js';
import {
  StreamHttpError,
  StreamRateLimitError,
} from '../stream/stream-errors.js';
import type { StreamEndpoint, StreamResponse } from '../stream/stream-types.js';
import { DeferSignal } from './pipeline-errors.js';

/**
 * One call to Stream under the shared budget: waits its turn (by throwing
 * `DeferSignal`, so the job is delayed rather than blocking a slot),
 * reports every answer back to the budget (Stream's rate-limit headers, or
 * their absence), and turns a 429 into a pause of the endpoint for every
 * worker plus a `DeferSignal`. A turn due within `SHORT_WAIT_MS` (the
 * budget spacing calls) is waited for in place. Calls are probing (see `AcquireOptions`):
 * until Stream has answered once, one call per endpoint is in flight.
 * `beforeCall` runs once the budget granted the call, before it is sent
 * (the batch step machine marks the batch `submitting` there).
 */
export async function callStream<T>(
  budget: RateBudget,
  endpoint: StreamEndpoint,
  call: () => Promise<StreamResponse<T>>,
  options: { readonly beforeCall?: () => Promise<void> } = {},
): Promise<StreamResponse<T>> {
  await takeTurn(budget, endpoint);

  let response: StreamResponse<T>;
  try {
    await options.beforeCall?.();
    response = await call();
  } catch (error) {
    await reportFailure(budget, endpoint, error);
    throw error instanceof StreamRateLimitError
      ? new DeferSignal(error.retryAt)
      : error;
  }

  await budget.observe(endpoint, response.rateLimit);
  return response;
}

/**
 * Longest wait for a turn spent holding the job's slot; a longer one
 * delays the job instead (a DeferSignal), which costs a few Redis calls.
 */
const SHORT_WAIT_MS = 250;

/** Short waits in a row before the job is delayed anyway. */
const SHORT_WAITS = 8;

async function takeTurn(
  budget: RateBudget,
  endpoint: StreamEndpoint,
): Promise<void> {
  for (let waits = 0; ; waits++) {
    const acquired = await budget.acquire(endpoint, { probe: true });
    if (acquired.ok) return;
    const waitMs = acquired.retryAt - Date.now();
    if (waitMs > SHORT_WAIT_MS || waits >= SHORT_WAITS) {
      throw new DeferSignal(acquired.retryAt);
    }
    await delay(Math.max(0, waitMs));
  }
}

/** Tells the budget how a call ended that brought no usable response. */
async function reportFailure(
  budget: RateBudget,
  endpoint: StreamEndpoint,
  error: unknown,
): Promise<void> {
  if (error instanceof StreamRateLimitError) {
    // Calls left in the window: a burst limit refused this one.
    const windowSpent = (error.rateLimit?.remaining ?? 0) <= 0;
    await budget.pause(endpoint, error.retryAt, { windowSpent });
  } else if (
    error instanceof StreamHttpError &&
    error.rateLimit !== undefined
  ) {
    await budget.observe(endpoint, error.rateLimit);
  } else {
    // An error without headers (an edge proxy, a timeout) says nothing
    // about Stream's limit, so the next call probes again.
    await budget.release(endpoint);
  }
}
