import type { BatchOutcome, BatchTarget } from '../requests/request-record.js';
import { STREAM_BATCH_LIMITS } from '../stream/stream-api.js';

/**
 * Cuts a request into Stream-sized batches: erasure → users in hundreds
 * (Delete Users) then channels in hundreds (Delete Channels); export →
 * users in 25s (Export Users). Batches hold offsets into the request's id
 * lists, never the ids.
 */
export function planBatches(
  kind: 'erasure' | 'export',
  users: number,
  channels: number,
): BatchOutcome[] {
  if (kind === 'export') {
    return slices('export', users, STREAM_BATCH_LIMITS.exportUsers, 0);
  }

  const userBatches = slices(
    'users',
    users,
    STREAM_BATCH_LIMITS.deleteUsers,
    0,
  );
  return [
    ...userBatches,
    ...slices(
      'channels',
      channels,
      STREAM_BATCH_LIMITS.deleteChannels,
      userBatches.length,
    ),
  ];
}

function slices(
  target: BatchTarget,
  total: number,
  size: number,
  firstIndex: number,
): BatchOutcome[] {
  const batches: BatchOutcome[] = [];
  for (let offset = 0; offset < total; offset += size) {
    batches.push({
      index: firstIndex + batches.length,
      target,
      offset,
      size: Math.min(size, total - offset),
      status: 'pending',
      attempts: 0,
    });
  }

  return batches;
}
