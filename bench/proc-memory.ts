import { readFile } from 'node:fs/promises';

export interface ProcessMemory {
  /** Resident set size now, bytes. */
  readonly rss: number;
  /** Peak resident set size since start (VmHWM), bytes. */
  readonly peakRss: number;
}

/** Reads /proc/PID/status; undefined once the process is gone. */
export async function readProcessMemory(
  pid: number,
): Promise<ProcessMemory | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return {
      rss: kilobytes(status, 'VmRSS') * 1024,
      peakRss: kilobytes(status, 'VmHWM') * 1024,
    };
  } catch {
    return undefined;
  }
}

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match === null ? 0 : Number(match[1]);
}

/**
 * Samples a set of processes every `everyMs` and keeps each one's peak,
 * so the figure survives the process exiting before the bench reads it.
 */
export class MemorySampler {
  readonly #peaks = new Map<number, number>();
  readonly #series: { at: number; rss: number[] }[] = [];
  readonly #timer: NodeJS.Timeout;
  readonly #pids: readonly number[];
  #lastSeries = 0;

  constructor(pids: readonly number[], everyMs = 250) {
    this.#pids = pids;
    this.#timer = setInterval(() => void this.sample(), everyMs);
    this.#timer.unref();
  }

  async sample(): Promise<void> {
    const rss: number[] = [];
    for (const pid of this.#pids) {
      const memory = await readProcessMemory(pid);
      rss.push(memory?.rss ?? 0);
      if (memory === undefined) continue;
      const peak = Math.max(memory.rss, memory.peakRss);
      this.#peaks.set(pid, Math.max(peak, this.#peaks.get(pid) ?? 0));
    }

    // One point a second is enough to line RSS up with the record's timeline.
    const now = Date.now();
    if (now - this.#lastSeries >= 1000) {
      this.#lastSeries = now;
      this.#series.push({ at: now, rss });
    }
  }

  /** RSS of every pid about once a second: epoch ms and bytes. */
  series(): readonly { at: number; rss: number[] }[] {
    return this.#series;
  }

  /** Peak RSS per pid, in the order the pids were given; 0 if never seen. */
  peaks(): number[] {
    return this.#pids.map((pid) => this.#peaks.get(pid) ?? 0);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
