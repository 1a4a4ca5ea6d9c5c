/**
 * Cleanups registered while a measurement runs, undone in reverse order
 * whether it succeeded, failed or timed out.
 */
export class Scope {
  readonly #cleanups: (() => unknown)[] = [];

  defer(cleanup: () => unknown): void {
    this.#cleanups.push(cleanup);
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.warn(`bench: cleanup failed: ${describeError(error)}`);
      }
    }
  }
}

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';

  constructor(label: string, ms: number) {
    super(`${label} did not finish within ${Math.round(ms / 1000)} s`);
  }
}

/**
 * Runs one measurement with its own scope and a deadline. On timeout the
 * scope is closed (children killed, servers closed), which is what makes
 * the abandoned work stop; the row then fails with a message instead of
 * hanging the run.
 */
export async function withDeadline<T>(
  label: string,
  ms: number,
  work: (scope: Scope) => Promise<T>,
): Promise<T> {
  const scope = new Scope();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(label, ms)), ms);
  });
  const running = work(scope);
  // Once the deadline won, a late rejection is expected, not unhandled.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
    await scope.close();
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' ? `${code}: ` : '';
    return `${error.name}: ${prefix}${error.message}`;
  }

  return String(error);
}

/** Polls `check` until it returns a value, or throws after `ms`. */
export async function pollUntil<T>(
  label: string,
  ms: number,
  check: () => Promise<T | undefined>,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new DeadlineError(label, ms);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
