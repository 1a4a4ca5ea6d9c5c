#!/usr/bin/env node
// The package is built on install (`prepare`), so the bin only loads dist/.
import('../dist/src/cli/main.js').catch((error) => {
  const notBuilt =
    error &&
    error.code === 'ERR_MODULE_NOT_FOUND' &&
    String(error.message).includes('dist/src/cli/main.js');
  if (notBuilt) {
    console.error(
      'stream-gdpr is not built yet: run `npm run build` (npm ci does it).',
    );
    process.exit(2);
  }
  console.error(`stream-gdpr failed to load: ${error?.message ?? error}`);
  process.exit(1);
});
