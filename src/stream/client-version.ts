import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'stream-gdpr-worker';

/**
 * Our package version, for the `X-Stream-Client` header. Found by walking up
 * from this module to our package.json, because the module runs both from
 * `src/stream/` (tests) and from `dist/src/stream/` (built).
 */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    try {
      const text = readFileSync(join(dir, 'package.json'), 'utf8');
      const parsed = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (parsed.name === PACKAGE_NAME && typeof parsed.version === 'string') {
        return parsed.version;
      }
    } catch {
      // No package.json at this level; keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return '0.0.0';
}

/** Value of the `X-Stream-Client` header on every call to Stream. */
export const STREAM_CLIENT_ID = `${PACKAGE_NAME}-${readVersion()}`;
