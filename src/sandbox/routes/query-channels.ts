import { json, type Reply, type RouteHandler } from '../context.js';
import { inputError } from '../errors.js';
import { matches, onlyFields, readCondition } from '../filters.js';
import { channelStateResponse } from '../serializers.js';
import { bodyObject, optionalInt } from '../validation.js';

const METHOD = 'QueryChannels';

/**
 * POST /channels (reference §9b). Filters on `cid`, `type`, `id` and
 * `members` (`$in` of user ids); soft- or hard-deleted channels are never
 * listed. `user_id`, `sort`, `state`, `watch` and `presence` are accepted
 * and ignored. At most 30 channels per call, 10 by default.
 */
export const queryChannels: RouteHandler = (ctx, req): Reply => {
  const body = bodyObject(METHOD, req.body);
  const filter = body['filter_conditions'];
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw inputError(METHOD, { filter_conditions: 'is a required field' });
  }

  const conditions = filter as Record<string, unknown>;
  onlyFields(METHOD, conditions, ['cid', 'type', 'id', 'members']);
  const cid = readCondition(METHOD, conditions, 'cid');
  const type = readCondition(METHOD, conditions, 'type');
  const id = readCondition(METHOD, conditions, 'id');
  const members = readCondition(METHOD, conditions, 'members');
  const limit = optionalInt(METHOD, body, 'limit', 0, 30) || 10;
  const offset = optionalInt(METHOD, body, 'offset', 0, 1000) ?? 0;

  const candidates =
    cid === undefined
      ? [...ctx.store.channels.values()]
      : [...cid.in].flatMap((key) => {
          const channel = ctx.store.channels.get(key);
          return channel === undefined ? [] : [channel];
        });
  const channels = candidates
    .filter(
      (channel) =>
        channel.deletedAt === undefined &&
        matches(type, channel.type) &&
        matches(id, channel.id) &&
        (members === undefined ||
          [...members.in].some((userId) => channel.memberIds.has(userId))),
    )
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(offset, offset + limit)
    .map((channel) => channelStateResponse(ctx.store, channel));
  return json(201, { channels });
};
