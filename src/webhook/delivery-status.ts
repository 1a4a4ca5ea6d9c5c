import type { Cluster, Redis } from 'ioredis';

import { LuaScript } from '../requests/lua-script.js';
import { requestKeys, WEBHOOK_META_FIELD } from '../requests/record-keys.js';
import type { WebhookDeliveryStatus } from '../requests/request-record.js';

/** The meta hash field holding the delivery, as JSON. */
const FIELD = WEBHOOK_META_FIELD;

/** How the completion webhook of one request fared; kept on its record. */
export type WebhookDelivery = WebhookDeliveryStatus;

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
 * expires with the record; `getRequest` shows it as `record.webhook`.
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
