/**
 * The sandbox's in-memory data: users, channels, messages and reactions,
 * with the indices that keep erasure of a batch O(batch) even with many
 * thousands of rows seeded.
 */

export type DeleteMode = 'soft' | 'pruning' | 'hard';

export interface UserRecord {
  readonly id: string;
  name: string | undefined;
  email: string | undefined;
  role: string;
  readonly createdAt: string;
  updatedAt: string;
  /** Set at once by Delete Users; the row itself changes when the task ends. */
  deletedAt: string | undefined;
  deleteMode: DeleteMode | undefined;
}

export interface ChannelRecord {
  readonly type: string;
  readonly id: string;
  readonly cid: string;
  readonly memberIds: Set<string>;
  createdById: string | undefined;
  readonly createdAt: string;
  updatedAt: string;
  deletedAt: string | undefined;
  hardDeleted: boolean;
}

export interface MessageRecord {
  readonly id: string;
  readonly cid: string | undefined;
  readonly userId: string;
  text: string | null;
  readonly createdAt: string;
  updatedAt: string;
  deletedAt: string | undefined;
}

export interface ReactionRecord {
  readonly messageId: string;
  readonly userId: string;
  readonly type: string;
  readonly score: number;
  readonly createdAt: string;
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }

  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  set?.delete(value);
  if (set?.size === 0) index.delete(key);
}

function reactionKey(messageId: string, userId: string, type: string): string {
  return `${messageId}\u0000${userId}\u0000${type}`;
}

export class Store {
  readonly users = new Map<string, UserRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, MessageRecord>();
  readonly reactions = new Map<string, ReactionRecord>();

  readonly #messagesByUser = new Map<string, Set<string>>();
  readonly #messagesByChannel = new Map<string, Set<string>>();
  readonly #channelsByMember = new Map<string, Set<string>>();
  readonly #reactionsByUser = new Map<string, Set<string>>();
  readonly #reactionsByMessage = new Map<string, Set<string>>();
  #nextMessage = 1;

  putUser(user: UserRecord): void {
    this.users.set(user.id, user);
  }

  putChannel(channel: ChannelRecord): void {
    for (const memberId of this.channels.get(channel.cid)?.memberIds ?? []) {
      removeFrom(this.#channelsByMember, memberId, channel.cid);
    }

    this.channels.set(channel.cid, channel);
    for (const memberId of channel.memberIds) {
      addTo(this.#channelsByMember, memberId, channel.cid);
    }
  }

  addMessage(
    userId: string,
    cid: string | undefined,
    text: string,
    at: string,
  ): MessageRecord {
    const message: MessageRecord = {
      id: `msg-${this.#nextMessage++}`,
      cid,
      userId,
      text,
      createdAt: at,
      updatedAt: at,
      deletedAt: undefined,
    };
    this.messages.set(message.id, message);
    addTo(this.#messagesByUser, userId, message.id);
    if (cid !== undefined) addTo(this.#messagesByChannel, cid, message.id);
    return message;
  }

  addReaction(reaction: ReactionRecord): void {
    const key = reactionKey(reaction.messageId, reaction.userId, reaction.type);
    this.reactions.set(key, reaction);
    addTo(this.#reactionsByUser, reaction.userId, key);
    addTo(this.#reactionsByMessage, reaction.messageId, key);
  }

  messagesOf(userId: string): MessageRecord[] {
    return this.#pick(this.#messagesByUser.get(userId), this.messages);
  }

  messagesIn(cid: string): MessageRecord[] {
    return this.#pick(this.#messagesByChannel.get(cid), this.messages);
  }

  reactionsOf(userId: string): ReactionRecord[] {
    return this.#pick(this.#reactionsByUser.get(userId), this.reactions);
  }

  reactionsOn(messageId: string): ReactionRecord[] {
    return this.#pick(this.#reactionsByMessage.get(messageId), this.reactions);
  }

  channelsOf(userId: string): ChannelRecord[] {
    return this.#pick(this.#channelsByMember.get(userId), this.channels);
  }

  removeMessage(id: string): void {
    const message = this.messages.get(id);
    if (message === undefined) return;
    this.removeReactionsOn(id);
    this.messages.delete(id);
    removeFrom(this.#messagesByUser, message.userId, id);
    if (message.cid !== undefined) {
      removeFrom(this.#messagesByChannel, message.cid, id);
    }
  }

  removeReactionsOn(messageId: string): void {
    for (const key of [...(this.#reactionsByMessage.get(messageId) ?? [])]) {
      this.#removeReaction(key);
    }
  }

  removeReactionsOf(userId: string): void {
    for (const key of [...(this.#reactionsByUser.get(userId) ?? [])]) {
      this.#removeReaction(key);
    }
  }

  removeMember(cid: string, userId: string): void {
    this.channels.get(cid)?.memberIds.delete(userId);
    removeFrom(this.#channelsByMember, userId, cid);
  }

  /** Drops the channel's messages; the row stays as a tombstone. */
  hardDeleteChannel(cid: string, at: string): void {
    const channel = this.channels.get(cid);
    if (channel === undefined) return;
    for (const message of this.messagesIn(cid)) this.removeMessage(message.id);
    channel.hardDeleted = true;
    channel.deletedAt ??= at;
    channel.updatedAt = at;
  }

  #pick<V>(keys: Set<string> | undefined, from: Map<string, V>): V[] {
    const found: V[] = [];
    for (const key of keys ?? []) {
      const value = from.get(key);
      if (value !== undefined) found.push(value);
    }

    return found;
  }

  #removeReaction(key: string): void {
    const reaction = this.reactions.get(key);
    if (reaction === undefined) return;
    this.reactions.delete(key);
    removeFrom(this.#reactionsByUser, reaction.userId, key);
    removeFrom(this.#reactionsByMessage, reaction.messageId, key);
  }
}
