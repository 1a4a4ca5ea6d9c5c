export type { WebhookDelivery } from './delivery-status.js';
export { readDelivery } from './delivery-status.js';
export type { WebhookJobData, WebhookJobResult } from './webhook-processor.js';
export { processWebhookJob } from './webhook-processor.js';
export {
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from './webhook-signature.js';
export type { WebhookSummary } from './webhook-summary.js';
export type { WebhookWorkerOptions } from './webhook-worker.js';
export { createWebhookWorker } from './webhook-worker.js';
