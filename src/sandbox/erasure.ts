import { randomBytes } from 'node:crypto';

import type { DeleteMode, Store } from './store.js';

export interface DeleteUsersPlan {
  readonly user: DeleteMode;
  readonly messages: DeleteMode | undefined;
  readonly conversations: 'soft' | 'hard' | undefined;
  readonly newChannelOwnerId: string | undefined;
}

/** Which subjects a call changed at once, so a failed task can undo it. */
export interface Flagged {
  readonly flagged: readonly string[];
  readonly unknown: readonly string[];
}

/**
 * Flags users deleted synchronously (reference §6): Query Users stops
 * listing them before the task runs. Unknown ids are only reported.
 */
export function flagUsers(
  store: Store,
  ids: readonly string[],
  at: string,
): Flagged {
  const flagged: string[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const user = store.users.get(id);
    if (user === undefined) {
      unknown.push(id);
    } else if (user.deletedAt === undefined) {
      user.deletedAt = at;
      flagged.push(id);
    }
  }

  return { flagged, unknown };
}

/** Undoes `flagUsers` when the task fails: nothing was deleted. */
export function unflagUsers(store: Store, ids: readonly string[]): void {
  for (const id of ids) {
    const user = store.users.get(id);
    if (user !== undefined && user.deleteMode === undefined) {
      user.deletedAt = undefined;
    }
  }
}

/** What the Delete Users task does to one user once it runs. */
export function eraseUser(
  store: Store,
  userId: string,
  plan: DeleteUsersPlan,
  at: string,
): void {
  const user = store.users.get(userId);
  if (user === undefined) return;
  eraseConversations(store, userId, plan.conversations, at);
  eraseMessages(store, userId, plan.messages, at);
  if (plan.user !== 'soft') {
    transferChannels(store, userId, plan.newChannelOwnerId, at);
  }

  user.deletedAt ??= at;
  user.deleteMode = plan.user;
  user.updatedAt = at;
  if (plan.user === 'pruning') {
    user.name = undefined;
    user.email = undefined;
  } else if (plan.user === 'hard') {
    store.removeReactionsOf(userId);
    for (const channel of store.channelsOf(userId)) {
      store.removeMember(channel.cid, userId);
    }

    store.users.delete(userId);
  }
}

/** A "conversation" is a channel of exactly two members (reference §6). */
function eraseConversations(
  store: Store,
  userId: string,
  mode: 'soft' | 'hard' | undefined,
  at: string,
): void {
  if (mode === undefined) return;
  for (const channel of store.channelsOf(userId)) {
    if (channel.memberIds.size !== 2 || channel.hardDeleted) continue;
    if (mode === 'hard') {
      store.hardDeleteChannel(channel.cid, at);
    } else {
      channel.deletedAt ??= at;
    }
  }
}

function eraseMessages(
  store: Store,
  userId: string,
  mode: DeleteMode | undefined,
  at: string,
): void {
  if (mode === undefined) return;
  for (const message of store.messagesOf(userId)) {
    if (mode === 'hard') {
      store.removeMessage(message.id);
      continue;
    }

    message.deletedAt ??= at;
    message.updatedAt = at;
    if (mode === 'pruning') {
      message.text = null;
      store.removeReactionsOn(message.id);
    }
  }
}

/** Without a new owner Stream hands channels to a system id. */
function transferChannels(
  store: Store,
  userId: string,
  newOwnerId: string | undefined,
  at: string,
): void {
  const owner = newOwnerId ?? `delete-user-${randomBytes(8).toString('hex')}`;
  for (const channel of store.channels.values()) {
    if (channel.createdById !== userId) continue;
    channel.createdById = owner;
    channel.updatedAt = at;
  }
}

/** Soft-deletes channels at once (reference §7); they leave queries. */
export function flagChannels(
  store: Store,
  cids: readonly string[],
  at: string,
): Flagged {
  const flagged: string[] = [];
  const unknown: string[] = [];
  for (const cid of cids) {
    const channel = store.channels.get(cid);
    if (channel === undefined) {
      unknown.push(cid);
    } else if (channel.deletedAt === undefined) {
      channel.deletedAt = at;
      flagged.push(cid);
    }
  }

  return { flagged, unknown };
}

export function unflagChannels(store: Store, cids: readonly string[]): void {
  for (const cid of cids) {
    const channel = store.channels.get(cid);
    if (channel !== undefined && !channel.hardDeleted) {
      channel.deletedAt = undefined;
    }
  }
}
