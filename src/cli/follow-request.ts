import type { GdprClient } from '../requests/gdpr-client-types.js';
import type { RequestRecord } from '../requests/request-record.js';
import {
  progressOf,
  renderProgressBar,
  renderProgressLine,
} from './progress.js';

/** How `--wait` shows progress: redrawn bar, appended lines, or nothing. */
export type ProgressStyle = 'bar' | 'lines' | 'none';

/** The style for this process: none with --json, a bar on a terminal. */
export function progressStyleFor(json: boolean): ProgressStyle {
  if (json) return 'none';
  return process.stdout.isTTY ? 'bar' : 'lines';
}

const REDRAW_MS = 250;

/**
 * Waits until the request ends, showing its progress on stdout in `style`.
 * The bar is also redrawn on a timer so elapsed time and ETA keep moving
 * while Stream works on a long task.
 */
export async function followRequest(
  client: GdprClient,
  requestId: string,
  style: ProgressStyle,
): Promise<RequestRecord> {
  if (style === 'none') return client.waitForRequest(requestId);
  if (style === 'lines') return followWithLines(client, requestId);

  let latest: RequestRecord | undefined;
  const draw = () => {
    if (!latest) return;
    const width = process.stdout.columns || 80;
    process.stdout.write(
      `\r\u001b[2K${renderProgressBar(latest, Date.now(), width - 1)}`,
    );
  };
  const timer = setInterval(draw, REDRAW_MS);
  try {
    latest = await client.waitForRequest(requestId, {
      onProgress: (record) => {
        latest = record;
        draw();
      },
    });
    draw();
    return latest;
  } finally {
    clearInterval(timer);
    if (latest) process.stdout.write('\n');
  }
}

async function followWithLines(
  client: GdprClient,
  requestId: string,
): Promise<RequestRecord> {
  let last = '';
  const print = (record: RequestRecord) => {
    const progress = progressOf(record, Date.now());
    const key = `${progress.status}:${progress.batchesDone}`;
    if (key === last) return;
    last = key;
    process.stdout.write(`${renderProgressLine(record, Date.now())}\n`);
  };

  const record = await client.waitForRequest(requestId, {
    onProgress: print,
  });
  print(record);
  return record;
}
