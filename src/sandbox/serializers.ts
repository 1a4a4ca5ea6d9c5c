import type {
  ChannelRecord,
  MessageRecord,
  ReactionRecord,
  Store,
  UserRecord,
} from './store.js';

/** How many recent messages Query Channels returns per channel. */
const CHANNEL_MESSAGE_LIMIT = 25;

/** A user as Stream's API returns one (reference §3, §9). */
export function userResponse(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    role: user.role,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    last_active: user.updatedAt,
    banned: false,
    online: false,
    language: '',
    teams: [],
    custom: user.email === undefined ? {} : { email: user.email },
    ...(user.name === undefined ? {} : { name: user.name }),
    ...(user.email === undefined ? {} : { email: user.email }),
    ...(user.deletedAt === undefined ? {} : { deleted_at: user.deletedAt }),
  };
}

export function messageResponse(
  store: Store,
  message: MessageRecord,
): Record<string, unknown> {
  const reactions = store.reactionsOn(message.id);
  const counts: Record<string, number> = {};
  const scores: Record<string, number> = {};
  for (const reaction of reactions) {
    counts[reaction.type] = (counts[reaction.type] ?? 0) + 1;
    scores[reaction.type] = (scores[reaction.type] ?? 0) + reaction.score;
  }

  const author = store.users.get(message.userId);
  return {
    id: message.id,
    text: message.text ?? '',
    html: message.text === null ? '' : `<p>${escapeHtml(message.text)}</p>\n`,
    type: message.deletedAt === undefined ? 'regular' : 'deleted',
    user: author === undefined ? { id: message.userId } : userResponse(author),
    attachments: [],
    latest_reactions: reactions.slice(-10).map(reactionResponse),
    own_reactions: [],
    reaction_counts: counts,
    reaction_scores: scores,
    reply_count: 0,
    cid: message.cid ?? '',
    created_at: message.createdAt,
    updated_at: message.updatedAt,
    ...(message.deletedAt === undefined
      ? {}
      : { deleted_at: message.deletedAt }),
    shadowed: false,
    mentioned_users: [],
    silent: false,
    pinned: false,
    pinned_at: null,
    pinned_by: null,
    pin_expires: null,
  };
}

export function reactionResponse(
  reaction: ReactionRecord,
): Record<string, unknown> {
  return {
    message_id: reaction.messageId,
    user_id: reaction.userId,
    user: null,
    type: reaction.type,
    score: reaction.score,
    created_at: reaction.createdAt,
    updated_at: reaction.createdAt,
  };
}

/** One element of Query Channels' `channels` (reference §9b). */
export function channelStateResponse(
  store: Store,
  channel: ChannelRecord,
): Record<string, unknown> {
  const owner =
    channel.createdById === undefined
      ? undefined
      : store.users.get(channel.createdById);
  const members = [...channel.memberIds].map((userId) => {
    const user = store.users.get(userId);
    return {
      user_id: userId,
      user: user === undefined ? { id: userId } : userResponse(user),
      created_at: channel.createdAt,
      updated_at: channel.updatedAt,
      banned: false,
      shadow_banned: false,
      role: userId === channel.createdById ? 'owner' : 'member',
      channel_role: 'channel_member',
    };
  });
  const messages = store
    .messagesIn(channel.cid)
    .filter((message) => message.deletedAt === undefined)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .slice(-CHANNEL_MESSAGE_LIMIT)
    .map((message) => messageResponse(store, message));
  return {
    channel: {
      id: channel.id,
      type: channel.type,
      cid: channel.cid,
      created_by:
        owner === undefined
          ? channel.createdById === undefined
            ? null
            : { id: channel.createdById }
          : userResponse(owner),
      created_at: channel.createdAt,
      updated_at: channel.updatedAt,
      frozen: false,
      disabled: false,
      member_count: channel.memberIds.size,
      config: { name: channel.type, reactions: true, replies: true },
    },
    members,
    messages,
    pinned_messages: [],
    read: [],
    watcher_count: 0,
    watchers: [],
  };
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}
