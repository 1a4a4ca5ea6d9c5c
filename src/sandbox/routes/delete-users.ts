import { json, type Reply, type RouteHandler } from '../context.js';
import {
  type DeleteUsersPlan,
  eraseUser,
  flagUsers,
  unflagUsers,
} from '../erasure.js';
import { inputError } from '../errors.js';
import type { DeleteMode } from '../store.js';
import {
  bodyObject,
  enumField,
  idList,
  optionalBoolean,
  optionalString,
} from '../validation.js';

const METHOD = 'DeleteUsers';
const MODES: readonly DeleteMode[] = ['soft', 'pruning', 'hard'];

/**
 * POST /users/delete (reference §6). Users are flagged at once; the task
 * applies the plan. `user` defaults to `soft`, as rb and the video docs
 * say. Unknown ids are accepted and reported `ok` (they are gone, which is
 * what the caller wants); the task view lists them in `unknownIds`.
 */
export const deleteUsers: RouteHandler = (ctx, req): Reply => {
  const body = bodyObject(METHOD, req.body);
  const userIds = idList(METHOD, body, 'user_ids', 100);
  const plan: DeleteUsersPlan = {
    user: enumField(METHOD, body, 'user', MODES, false) ?? 'soft',
    messages: enumField(METHOD, body, 'messages', MODES, true),
    conversations: enumField(
      METHOD,
      body,
      'conversations',
      ['soft', 'hard'] as const,
      true,
    ),
    newChannelOwnerId: optionalString(METHOD, body, 'new_channel_owner_id'),
  };
  optionalBoolean(METHOD, body, 'files');
  if (
    plan.newChannelOwnerId !== undefined &&
    userIds.includes(plan.newChannelOwnerId)
  ) {
    throw inputError(METHOD, {
      new_channel_owner_id: 'must not be one of the users being deleted',
    });
  }

  const ids = [...new Set(userIds)];
  const at = new Date().toISOString();
  const { flagged, unknown } = flagUsers(ctx.store, ids, at);
  const task = ctx.tasks.create({
    kind: 'deleteUsers',
    subjectIds: ids,
    unknownIds: unknown,
    undo: () => unflagUsers(ctx.store, flagged),
    run: () => {
      const done = new Date().toISOString();
      for (const id of ids) {
        eraseUser(ctx.store, id, plan, done);
      }

      return undefined;
    },
  });
  return json(201, { task_id: task.id });
};
