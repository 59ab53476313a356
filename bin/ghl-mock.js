#!/usr/bin/env node
// The `ghl-mock` command: the compiled CLI in dist/ (built by `npm run build`, which
// `npm ci`/`npm install` run through `prepare`), so running it never needs tsx.
import '../dist/cli/run.js'
