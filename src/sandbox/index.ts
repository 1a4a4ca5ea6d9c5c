/**
 * The Stream sandbox: a local HTTP emulator of the Stream Chat endpoints
 * the GDPR worker uses (../shared/reference/stream-api.md), for tests, the
 * demo and `stream-gdpr sandbox`. Where the reference leaves behaviour
 * unconfirmed, the sandbox decides as follows:
 *
 * - Auth: the token is taken bare, as the SDKs send it (`Bearer ` fails
 *   with 5); export downloads and `GET /_sandbox/state` need no auth.
 * - Delete Users: `user` defaults to `soft`; unknown ids are reported
 *   `{status:'ok'}` and listed in the task view's `unknownIds`. Users are
 *   flagged (`deletedAt`) at once; `deleteMode` is set when the task ends.
 *   A failed task undoes the flag: nothing was deleted.
 * - Export Users files are NDJSON, one `{"type":"user"|"message"|
 *   "reaction", <type>: {...}}` object per line, at a signed URL
 *   (`Expires`, `Signature`) valid 24 h.
 * - Export User over the limit: 400 code 4; unknown user: 404 code 16.
 * - Rate limits: fixed windows aligned on the epoch; without settings the
 *   headers still show a quota of 1,000,000 per minute and nothing is
 *   refused. JSON 429s carry `X-RateLimit-*` and no `Retry-After`; the
 *   text 429 fault carries `Retry-After: 1` and no `X-RateLimit-*`.
 * - Faults hit before auth, rate limiting and the operation, so a faulted
 *   call changes nothing, whatever its kind; `hang` and `reset` are
 *   recorded in `calls` with status 0.
 */
export { demoSeed } from './demo-seed.js';
export type * from './sandbox-types.js';
export { startSandbox } from './server.js';
