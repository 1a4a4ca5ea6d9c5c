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
 * reports Stream's rate-limit headers back to the budget, and turns a 429
 * into a pause of the endpoint for every worker plus a `DeferSignal`.
 * `beforeCall` runs once the budget granted the call, before it is sent
 * (the batch step machine marks the batch `submitting` there).
 */
export async function callStream<T>(
  budget: RateBudget,
  endpoint: StreamEndpoint,
  call: () => Promise<StreamResponse<T>>,
  options: { readonly beforeCall?: () => Promise<void> } = {},
): Promise<StreamResponse<T>> {
  const acquired = await budget.acquire(endpoint);
  if (!acquired.ok) throw new DeferSignal(acquired.retryAt);
  await options.beforeCall?.();

  try {
    const response = await call();
    await budget.observe(endpoint, response.rateLimit);
    return response;
  } catch (error) {
    if (error instanceof StreamRateLimitError) {
      await budget.pause(endpoint, error.retryAt);
      throw new DeferSignal(error.retryAt);
    }

    if (error instanceof StreamHttpError) {
      await budget.observe(endpoint, error.rateLimit);
    }

    throw error;
  }
}
