import { recordVerificationScript } from './record-scripts.js';
import type { RecordStore } from './record-store.js';

/**
 * Records that an ended batch's subjects were checked against Stream and
 * which of them it still lists; once per batch.
 */
export async function recordBatchVerification(
  store: RecordStore,
  requestId: string,
  batchIndex: number,
  listed: readonly string[],
): Promise<void> {
  const keys = store.keys(requestId);
  await recordVerificationScript.run(
    store.redis,
    [keys.verified, keys.stillListed, keys.meta],
    [batchIndex, ...listed],
  );
}

/** Whether each batch's subjects were checked, by batch index. */
export async function verifiedBatches(
  store: RecordStore,
  requestId: string,
): Promise<(index: number) => boolean> {
  const bits = await store.redis.getBuffer(store.keys(requestId).verified);
  return (index) => {
    const byte = bits?.[index >> 3] ?? 0;
    // SETBIT numbers bits from the most significant bit of each byte.
    return (byte & (0x80 >> (index & 7))) !== 0;
  };
}
