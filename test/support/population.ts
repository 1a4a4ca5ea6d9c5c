import { randomUUID } from 'node:crypto';

import type { SeedSpec } from '../../src/sandbox/sandbox-types.js';

/** Users and channels of one test, with distinctive ids and emails. */
export interface Population {
  readonly userIds: readonly string[];
  readonly channelCids: readonly string[];
  readonly emails: readonly string[];
  readonly seed: SeedSpec;
}

/**
 * `users` users (each with an email and a few messages) and `channels`
 * channels whose members are drawn from them. Ids carry a run tag, so a
 * scan for them cannot match another test's data or common words.
 */
export function makePopulation(users: number, channels: number): Population {
  const run = randomUUID().slice(0, 6);
  const userIds = Array.from({ length: users }, (_, n) => `subj${run}u${n}`);
  const emails = userIds.map((_, n) => `person.${run}.${n}@mail.example`);
  const channelIds = Array.from(
    { length: channels },
    (_, n) => `room${run}c${n}`,
  );
  const seed: SeedSpec = {
    users: userIds.map((id, n) => ({
      id,
      name: `Person ${run} ${n}`,
      email: emails[n]!,
      messageCount: 2,
    })),
    channels: channelIds.map((id, n) => ({
      type: 'messaging',
      id,
      memberIds: [userIds[n % users]!, userIds[(n * 7 + 1) % users]!],
    })),
  };
  return {
    userIds,
    channelCids: channelIds.map((id) => `messaging:${id}`),
    emails,
    seed,
  };
}

/** Splits `items` into `parts` consecutive slices of near-equal size. */
export function split<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, n) =>
    items.slice(n * size, (n + 1) * size),
  ).filter((part) => part.length > 0);
}
