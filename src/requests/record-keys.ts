/**
 * Where a request's data lives in Redis. Every key starts with the shared
 * prefix (a hash tag such as `{gdpr}` on Redis Cluster), so all of them and
 * all of BullMQ's keys hash to one slot and scripts may touch them together.
 * Request ids cannot contain `:` (see request-id.ts), so no request's keys
 * can collide with another's. Our index keys live under `idx:`, never under
 * a queue name, because obliterating a queue deletes `<prefix>:<queue>:*`.
 */
export interface RequestKeys {
  readonly meta: string;
  readonly users: string;
  readonly channels: string;
  readonly batches: string;
  readonly failures: string;
  readonly events: string;
  readonly stillListed: string;
  /** Bitmap: bit N set once batch N's subjects were checked against Stream. */
  readonly verified: string;
}

export function requestKeys(prefix: string, requestId: string): RequestKeys {
  const base = `${prefix}:req:${requestId}`;
  return {
    meta: base,
    users: `${base}:users`,
    channels: `${base}:channels`,
    batches: `${base}:batches`,
    failures: `${base}:failures`,
    events: `${base}:events`,
    stillListed: `${base}:still`,
    verified: `${base}:verified`,
  };
}

/** The meta hash field where src/webhook keeps the delivery, as JSON. */
export const WEBHOOK_META_FIELD = 'webhook';

/** All keys of one request, for EXPIRE and DEL. */
export function allRequestKeys(keys: RequestKeys): string[] {
  return Object.values(keys);
}

export interface IndexKeys {
  /** ZSET of unfinished requests scored by deadline (epoch ms). */
  readonly open: string;
  /** One ZSET per status, members scored by when they entered it. */
  status(status: string): string;
  /** Pub/sub channel announcing a request id whenever its record changes. */
  readonly updates: string;
}

export function indexKeys(prefix: string): IndexKeys {
  return {
    open: `${prefix}:idx:open`,
    status: (status) => `${prefix}:idx:status:${status}`,
    updates: `${prefix}:updates`,
  };
}

/**
 * One bucket of the subject lookup index: a hash whose fields are the rest
 * of a subject's keyed fingerprint (`k`, pseudonymised requests) or plain
 * digest (`d`, requests that keep their ids), chosen by the leading hex
 * characters `bucket` (see subject-index.ts for the values).
 */
export function subjectIndexBucketKey(
  prefix: string,
  scheme: 'k' | 'd',
  bucket: string,
): string {
  return `${prefix}:idx:subjects:${scheme}:${bucket}`;
}

/** Lists that are built beside a record's own while it is pseudonymised. */
export function sealingKeys(keys: RequestKeys) {
  return {
    users: `${keys.users}:sealing`,
    channels: `${keys.channels}:sealing`,
    failures: `${keys.failures}:sealing`,
    stillListed: `${keys.stillListed}:sealing`,
  };
}

/** Temporary lists that hold ids until the record is created atomically. */
export function stagingKeys(prefix: string, nonce: string) {
  return {
    users: `${prefix}:stage:${nonce}:users`,
    channels: `${prefix}:stage:${nonce}:channels`,
  };
}
