import { createHash } from 'node:crypto';

import type { NewRequest } from './request-input.js';

/**
 * SHA-256 of what a request asks for: its kind, its unique sorted subjects
 * and its options. `receivedAt` is left out so that a retry of the same
 * call without an explicit `receivedAt` (which defaults to "now") is still
 * the same request; an explicit, different `receivedAt` is compared
 * separately (see RecordStore.create) because it moves the deadline.
 */
export function requestFingerprint(request: NewRequest): string {
  const hash = createHash('sha256');
  hash.update(`kind=${request.kind}\n`);
  hash.update(`options=${canonicalJson(request.options)}\n`);
  hash.update(`users=${request.userIds.length}\n`);
  for (const id of request.userIds) hash.update(`${id}\n`);
  hash.update(`channels=${request.channelCids.length}\n`);
  for (const cid of request.channelCids) hash.update(`${cid}\n`);
  return hash.digest('hex');
}

function canonicalJson(value: object): string {
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(Object.fromEntries(entries));
}
