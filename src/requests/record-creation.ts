import { randomUUID } from 'node:crypto';

import { eventJson } from './record-codec.js';
import { stagingKeys } from './record-keys.js';
import { createRequestScript } from './record-scripts.js';
import { execOrThrow, type RecordStore } from './record-store.js';
import type { NewRequest } from './request-input.js';

/** Ids per RPUSH; keeps each command well under Redis' argument limits. */
const PUSH_CHUNK = 10_000;

/** Staged lists of a crashed producer disappear on their own. */
const STAGING_TTL_S = 60 * 60;

export type CreateOutcome =
  | { readonly created: true }
  | {
      readonly created: false;
      readonly fingerprint: string;
      readonly receivedAt: string;
    };

/**
 * Writes a new request record, or reports the one that holds the id.
 * The ids are first pushed to staging lists (pipelined, in chunks: a
 * million ids take about a second), then one script checks the id is free,
 * renames the lists into place and writes the meta hash and the indexes.
 * So a record is either absent or complete, never half written, and two
 * producers racing on one id cannot both create it.
 */
export async function createRecord(
  store: RecordStore,
  request: NewRequest,
  fingerprint: string,
): Promise<CreateOutcome> {
  const existing = await findExisting(store, request.id);
  if (existing) return existing;

  const staging = stagingKeys(store.prefix, randomUUID());
  await stage(store, staging.users, request.userIds);
  await stage(store, staging.channels, request.channelCids);

  const keys = store.keys(request.id);
  const now = new Date();
  const result = (await createRequestScript.run(
    store.redis,
    [
      keys.meta,
      keys.users,
      keys.channels,
      staging.users,
      staging.channels,
      store.index.open,
      store.index.status('queued'),
      keys.events,
    ],
    [
      request.id,
      request.deadlineAt.getTime(),
      now.getTime(),
      eventJson('queued', now),
      ...metaFields(request, fingerprint, now),
    ],
  )) as [number, string?, string?];
  if (result[0] === 1) return { created: true };
  return {
    created: false,
    fingerprint: result[1] ?? '',
    receivedAt: result[2] ?? '',
  };
}

async function findExisting(
  store: RecordStore,
  requestId: string,
): Promise<CreateOutcome | undefined> {
  const [fingerprint, receivedAt] = await store.redis.hmget(
    store.keys(requestId).meta,
    'fingerprint',
    'receivedAt',
  );
  if (fingerprint === null || fingerprint === undefined) return undefined;
  return { created: false, fingerprint, receivedAt: receivedAt ?? '' };
}

async function stage(
  store: RecordStore,
  key: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const pipeline = store.redis.pipeline();
  for (let i = 0; i < ids.length; i += PUSH_CHUNK) {
    pipeline.rpush(key, ...ids.slice(i, i + PUSH_CHUNK));
  }

  pipeline.expire(key, STAGING_TTL_S);
  await execOrThrow(pipeline);
}

function metaFields(
  request: NewRequest,
  fingerprint: string,
  now: Date,
): string[] {
  const fields: Record<string, string> = {
    id: request.id,
    kind: request.kind,
    status: 'queued',
    options: JSON.stringify(request.options),
    receivedAt: request.receivedAt.toISOString(),
    deadlineAt: request.deadlineAt.toISOString(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    fingerprint,
    users: String(request.userIds.length),
    channels: String(request.channelCids.length),
    batchTotal: '0',
    batchDone: '0',
    failureCount: '0',
  };
  return Object.entries(fields).flat();
}
