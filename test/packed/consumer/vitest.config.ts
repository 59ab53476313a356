import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    // The harness runs a fresh mock per scenario; give it more than the default 5 s.
    testTimeout: 60_000,
  },
})
