import { json, type Reply, type RouteHandler } from '../context.js';
import { inputError, notFoundError } from '../errors.js';
import {
  messageResponse,
  reactionResponse,
  userResponse,
} from '../serializers.js';

const METHOD = 'ExportUser';

/**
 * GET /users/{id}/export (reference §3). Refuses users with more messages
 * or reactions than the limit (400 code 4; Stream's code is unconfirmed)
 * and unknown or hard-deleted users (404 code 16).
 */
export const exportUser: RouteHandler = (ctx, req): Reply => {
  const userId = req.params[0] ?? '';
  const user = ctx.store.users.get(userId);
  if (user === undefined) throw notFoundError(METHOD, 'user does not exist');

  const messages = ctx.store.messagesOf(userId);
  const reactions = ctx.store.reactionsOf(userId);
  const limit = ctx.exportUserMessageLimit;
  if (messages.length > limit || reactions.length > limit) {
    throw inputError(METHOD, {
      user_id: `has more than ${limit} messages or reactions, use export users instead`,
    });
  }

  return json(200, {
    user: userResponse(user),
    messages: messages.map((message) => messageResponse(ctx.store, message)),
    reactions: reactions.map(reactionResponse),
  });
};
