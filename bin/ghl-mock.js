#!/usr/bin/env node
// The `ghl-mock` command: the compiled CLI in dist/ (built by `npm run build`, which
// `npm ci`/`npm install` run through `prepare`), so running it never needs tsx.
try {
  await import('../dist/cli/run.js')
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/run.js')) throw err
  console.error('ghl-mock: the build (dist/) is missing: run `npm run build` in the package (npm ci does it), or `npm start` to run the source.')
  process.exitCode = 1
}
