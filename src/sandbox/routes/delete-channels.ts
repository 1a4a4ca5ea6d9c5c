import { json, type Reply, type RouteHandler } from '../context.js';
import { flagChannels, unflagChannels } from '../erasure.js';
import { inputError } from '../errors.js';
import { bodyObject, idList, optionalBoolean } from '../validation.js';

const METHOD = 'DeleteChannels';
const CID = /^[\w-]+:[\w!@-]+$/;

/**
 * POST /channels/delete (reference §7). Channels are soft-deleted at once;
 * with `hard_delete` the task then removes their messages and leaves a
 * tombstone. Unknown cids are reported `ok`, like unknown users.
 */
export const deleteChannels: RouteHandler = (ctx, req): Reply => {
  const body = bodyObject(METHOD, req.body);
  const cids = [...new Set(idList(METHOD, body, 'cids', 100))];
  if (!cids.every((cid) => CID.test(cid))) {
    throw inputError(METHOD, { cids: 'must hold cids of the form type:id' });
  }

  const hard = optionalBoolean(METHOD, body, 'hard_delete') ?? false;
  const at = new Date().toISOString();
  const { flagged, unknown } = flagChannels(ctx.store, cids, at);
  const task = ctx.tasks.create({
    kind: 'deleteChannels',
    subjectIds: cids,
    unknownIds: unknown,
    undo: () => unflagChannels(ctx.store, flagged),
    run: () => {
      const done = new Date().toISOString();
      for (const cid of cids) {
        if (hard) ctx.store.hardDeleteChannel(cid, done);
      }

      return undefined;
    },
  });
  return json(201, { task_id: task.id });
};
