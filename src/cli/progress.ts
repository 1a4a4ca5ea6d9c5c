import type { RequestRecord } from '../requests/request-record.js';
import { TERMINAL_STATUSES } from '../requests/request-record.js';
import { STREAM_BATCH_LIMITS } from '../stream/stream-api.js';

const MAX_BAR_WIDTH = 30;
const LONGEST_STATUS = 'waiting_on_stream';
const ETA_SLOT = ' · ETA --:--';

/** How far a request has got, derived from its record alone. */
export interface Progress {
  readonly batchesDone: number;
  readonly batchesTotal: number;
  readonly batchesFailed: number;
  readonly idsDone: number;
  readonly idsTotal: number;
  readonly elapsedMs: number;
  /** Undefined until one batch ended, and once the request ended. */
  readonly etaMs: number | undefined;
  readonly status: RequestRecord['status'];
}

/** Computes a request's progress at `now` (epoch ms). */
export function progressOf(record: RequestRecord, now: number): Progress {
  const ended = record.batches.filter(
    (batch) => batch.status === 'completed' || batch.status === 'failed',
  );
  const idsTotal = record.counts.users + record.counts.channels;
  const batchesTotal =
    record.progress?.batches ??
    Math.max(record.batches.length, plannedBatches(record));
  const start = Date.parse(record.startedAt ?? record.createdAt);
  const end = record.finishedAt ? Date.parse(record.finishedAt) : now;
  const elapsedMs = Math.max(0, end - start);
  const terminal = TERMINAL_STATUSES.includes(record.status);
  const batchesDone = Math.max(ended.length, record.progress?.done ?? 0);
  const remaining = batchesTotal - batchesDone;

  return {
    batchesDone,
    batchesTotal,
    batchesFailed: ended.filter((batch) => batch.status === 'failed').length,
    idsDone: terminal
      ? idsTotal
      : ended.reduce((sum, batch) => sum + batch.size, 0),
    idsTotal,
    elapsedMs,
    etaMs:
      terminal || batchesDone === 0
        ? undefined
        : Math.round((elapsedMs / batchesDone) * remaining),
    status: record.status,
  };
}

/**
 * One line for a terminal `width` columns wide, redrawn in place:
 * `[█████░░░░░] 3/5 batches · 300/450 ids · 00:12 · ETA 00:08 · running`.
 * The bar takes what the text leaves, and disappears on very narrow
 * terminals rather than wrapping.
 */
export function renderProgressBar(
  record: RequestRecord,
  now: number,
  width: number,
): string {
  const progress = progressOf(record, now);
  const text = describe(progress, true);
  // Sized for the longest text this request can show, so the bar does not
  // jump as the status or the ETA comes and goes.
  const reserved =
    text.length -
    progress.status.length +
    LONGEST_STATUS.length +
    (text.includes(' · ETA ') ? 0 : ETA_SLOT.length);
  const barWidth = Math.min(MAX_BAR_WIDTH, width - reserved - 3);
  if (barWidth < 5) return text.slice(0, Math.max(0, width));

  const ratio =
    progress.batchesTotal === 0
      ? 0
      : progress.batchesDone / progress.batchesTotal;
  const filled = Math.round(Math.min(1, ratio) * barWidth);
  const bar = '█'.repeat(filled) + '░'.repeat(barWidth - filled);
  return `[${bar}] ${text}`;
}

/** A progress line for logs and pipes, where nothing is redrawn. */
export function renderProgressLine(record: RequestRecord, now: number): string {
  return `${new Date(now).toISOString()} ${record.id}: ${describe(
    progressOf(record, now),
  )}`;
}

/** `mm:ss`, or `h:mm:ss` from one hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${pad(minutes)}:${pad(seconds)}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

function describe(progress: Progress, etaSlot = false): string {
  const failed =
    progress.batchesFailed > 0 ? ` (${progress.batchesFailed} failed)` : '';
  const open = !TERMINAL_STATUSES.includes(progress.status);
  const eta =
    progress.etaMs !== undefined
      ? ` · ETA ${formatDuration(progress.etaMs)}`
      : etaSlot && open
        ? ETA_SLOT
        : '';
  return (
    `${progress.batchesDone}/${progress.batchesTotal} batches${failed} · ` +
    `${progress.idsDone}/${progress.idsTotal} ids · ` +
    `${formatDuration(progress.elapsedMs)}${eta} · ${progress.status}`
  );
}

/** Batches the request will have, for records not yet split into them. */
function plannedBatches(record: RequestRecord): number {
  if (record.kind === 'export') {
    return Math.ceil(record.counts.users / STREAM_BATCH_LIMITS.exportUsers);
  }
  return (
    Math.ceil(record.counts.users / STREAM_BATCH_LIMITS.deleteUsers) +
    Math.ceil(record.counts.channels / STREAM_BATCH_LIMITS.deleteChannels)
  );
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
