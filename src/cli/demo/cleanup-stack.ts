/**
 * Things the demo started, closed in reverse order. Once `closeAll` has
 * begun, anything added later is closed at once, so a Ctrl-C during set-up
 * cannot leave a late-starting part running.
 */
export class CleanupStack {
  readonly #closers: Array<{ name: string; close: () => Promise<void> }> = [];
  #closing = false;

  get closing(): boolean {
    return this.#closing;
  }

  /** Registers a closer; runs it now when cleanup already started. */
  async add(name: string, close: () => Promise<void>): Promise<void> {
    if (this.#closing) {
      await close().catch(() => {});
      return;
    }
    this.#closers.push({ name, close });
  }

  /** Closes everything, last added first; resolves to the names that failed. */
  async closeAll(): Promise<string[]> {
    this.#closing = true;
    const failed: string[] = [];
    for (let next = this.#closers.pop(); next; next = this.#closers.pop()) {
      try {
        await next.close();
      } catch {
        failed.push(next.name);
      }
    }
    return failed;
  }
}
