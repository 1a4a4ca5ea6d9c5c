import type { SeedSpec, SeedUser } from './sandbox-types.js';
import type { Store } from './store.js';

const REACTION_TYPES = ['like', 'love', 'haha', 'wow', 'sad'] as const;

/**
 * Adds a seed to the store: users, then channels, then each user's messages
 * spread round-robin over the channels they belong to (a user in no channel
 * gets messages outside any channel), then their reactions on messages in
 * those channels. Seeded rows are dated in the past so that rows the tests
 * create later sort after them.
 */
export function applySeed(
  store: Store,
  spec: SeedSpec,
  now = Date.now(),
): void {
  let clock = now - 86_400_000;
  const tick = (): string => new Date(clock++).toISOString();

  for (const user of spec.users ?? []) {
    const at = tick();
    store.putUser({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role ?? 'user',
      createdAt: at,
      updatedAt: at,
      deletedAt: undefined,
      deleteMode: undefined,
    });
  }

  for (const channel of spec.channels ?? []) {
    const at = tick();
    store.putChannel({
      type: channel.type,
      id: channel.id,
      cid: `${channel.type}:${channel.id}`,
      memberIds: new Set(channel.memberIds ?? []),
      createdById: channel.createdById ?? channel.memberIds?.[0],
      createdAt: at,
      updatedAt: at,
      deletedAt: undefined,
      hardDeleted: false,
    });
  }

  for (const user of spec.users ?? []) seedMessages(store, user, tick);
  for (const user of spec.users ?? []) seedReactions(store, user, tick);
}

function seedMessages(store: Store, user: SeedUser, tick: () => string): void {
  const cids = store.channelsOf(user.id).map((channel) => channel.cid);
  const label = user.name ?? user.id;
  for (let n = 0; n < (user.messageCount ?? 0); n += 1) {
    const cid = cids.length > 0 ? cids[n % cids.length] : undefined;
    store.addMessage(user.id, cid, `Message ${n + 1} from ${label}`, tick());
  }
}

function seedReactions(store: Store, user: SeedUser, tick: () => string): void {
  const wanted = user.reactionCount ?? 0;
  if (wanted === 0) return;
  const targets = store
    .channelsOf(user.id)
    .flatMap((channel) => store.messagesIn(channel.cid))
    .sort(
      (a, b) => Number(a.userId === user.id) - Number(b.userId === user.id),
    );
  const possible = targets.length * REACTION_TYPES.length;
  for (let n = 0; n < Math.min(wanted, possible); n += 1) {
    const message = targets[n % targets.length];
    const type = REACTION_TYPES[Math.floor(n / targets.length)];
    if (message === undefined || type === undefined) break;
    store.addReaction({
      messageId: message.id,
      userId: user.id,
      type,
      score: 1,
      createdAt: tick(),
    });
  }
}
