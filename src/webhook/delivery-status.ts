import type { Cluster, Redis } from 'ioredis';

import { LuaScript } from '../requests/lua-script.js';
import { requestKeys } from '../requests/record-keys.js';
import type { RequestStatus } from '../requests/request-record.js';

/** How the completion webhook of one request fared; kept on its record. */
export interface WebhookDelivery {
  readonly state: 'pending' | 'delivered' | 'failed';
  /** The request status this delivery announces. */
  readonly requestStatus: RequestStatus;
  readonly attempts: number;
  /** HTTP status of the last attempt; 0 when no answer came. */
  readonly lastStatus: number;
  readonly lastAttemptAt: string;
  readonly deliveredAt?: string;
  readonly failedAt?: string;
}

// TODO: decode this field into RequestRecord (record-codec) so getRequest and GET /v1/requests/:id show it.
/** The meta hash field holding the delivery, as JSON. */
const FIELD = 'webhook';

/**
 * HSET only if the record still exists: writing to an expired one would
 * recreate a stray hash without a TTL.
 * KEYS: meta hash. ARGV: field, JSON.
 */
const setIfRecordExists = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

/**
 * Reads and writes the `webhook` field of a request's meta hash
 * (`<prefix>:req:<id>`). It sits beside the record's own fields, so it
 * expires with the record; `getRequest` does not read it (yet).
 */
export async function readDelivery(
  redis: Redis | Cluster,
  prefix: string,
  requestId: string,
): Promise<WebhookDelivery | undefined> {
  const json = await redis.hget(requestKeys(prefix, requestId).meta, FIELD);
  if (!json) return undefined;
  try {
    return JSON.parse(json) as WebhookDelivery;
  } catch {
    return undefined;
  }
}

/** Stores a delivery state; only on a record that still exists. */
export async function writeDelivery(
  redis: Redis | Cluster,
  prefix: string,
  requestId: string,
  delivery: WebhookDelivery,
): Promise<void> {
  await setIfRecordExists.run(
    redis,
    [requestKeys(prefix, requestId).meta],
    [FIELD, JSON.stringify(delivery)],
  );
}
