import { defineConfig } from 'vitest/config'

// Real-browser tests (headless Chromium): slow, so apart from `npm test`; run by `npm run test:browser`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    // One browser at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
