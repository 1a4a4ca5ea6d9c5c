import { json, type Reply, type RouteHandler } from '../context.js';
import { notFoundError } from '../errors.js';
import { Tasks } from '../tasks.js';

/** GET /tasks/{id} (reference §8). */
export const getTask: RouteHandler = (ctx, req): Reply => {
  const id = req.params[0] ?? '';
  const task = ctx.tasks.get(id);
  if (task === undefined) {
    throw notFoundError('GetTask', `Can't find task with id ${id}`);
  }

  return json(200, {
    task_id: task.id,
    status: task.status,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    ...(task.status === 'completed' ? { result: Tasks.resultOf(task) } : {}),
    ...(task.error === undefined ? {} : { error: task.error }),
  });
};
