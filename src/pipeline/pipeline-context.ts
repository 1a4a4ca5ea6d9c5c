import type { Queue } from 'bullmq';
import type { Logger } from 'pino';

import type { Config } from '../config/config.js';
import type { RateBudget } from '../rate-budget/rate-budget.js';
import type { RecordStore } from '../requests/record-store.js';
import type { StreamApi } from '../stream/stream-api.js';

/** What every processor needs; built once per worker process. */
export interface PipelineContext {
  readonly config: Config;
  readonly store: RecordStore;
  readonly budget: RateBudget;
  readonly stream: StreamApi;
  readonly logger: Logger;
  readonly queues: {
    readonly batches: Queue;
    readonly finalize: Queue;
    readonly webhooks: Queue;
    readonly maintenance: Queue;
  };
}
