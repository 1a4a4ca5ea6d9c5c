/**
 * Polls `probe` until it returns something other than undefined, on a real
 * condition (never a fixed sleep). A probe that throws ends the wait with
 * its error; probes that expect transient errors catch them themselves.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 25 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }

    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves after `ms`; only for pacing chaos (kills), never for waiting. */
export function pause(ms: number): Promise<void> {
  // Unref'd: a pause raced against the end of a run must not keep jest up.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
