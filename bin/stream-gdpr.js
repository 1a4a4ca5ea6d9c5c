#!/usr/bin/env node
// The package is built on install (`prepare`), so the bin only loads dist/.
import('../dist/src/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    console.error(
      'stream-gdpr is not built yet: run `npm run build` (npm ci does it).',
    );
    process.exit(2);
  }
  throw error;
});
