import { json, type Reply, type RouteHandler } from '../context.js';
import { userExportNdjson } from '../export-files.js';
import { bodyObject, idList } from '../validation.js';

const METHOD = 'ExportUsers';

/**
 * POST /export/users (reference §4): at most 25 ids. The file is written
 * when the task completes, from the data as it is then.
 */
export const exportUsers: RouteHandler = (ctx, req): Reply => {
  const body = bodyObject(METHOD, req.body);
  const userIds = [...new Set(idList(METHOD, body, 'user_ids', 25))];
  const unknown = userIds.filter((id) => !ctx.store.users.has(id));
  const task = ctx.tasks.create({
    kind: 'exportUsers',
    subjectIds: userIds,
    unknownIds: unknown,
    undo: () => undefined,
    run: () => ({
      url: ctx.exports.publish(
        ctx.baseUrl(),
        task.id,
        userExportNdjson(ctx.store, userIds),
      ),
    }),
  });
  return json(201, { task_id: task.id });
};
