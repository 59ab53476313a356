import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The Redis suites (npm run test:redis): each starts its own redis-server, so they stay out of `npm test`.
// Two projects: the multi-instance suites, and a slice of the ordinary suites run again with
// every mock on Redis (their makeMock swapped for one that adds --store), so one suite runs on both stores.
const ON_REDIS = [
  'test/contacts/scenario.test.ts',
  'test/contacts/contacts.test.ts',
  'test/contacts/tags.test.ts',
  'test/contacts/bulk.test.ts',
  'test/contacts/search.test.ts',
  'test/auth/oauth.test.ts',
  'test/auth/flow.test.ts',
  'test/auth/enforcement.test.ts',
  'test/limits/rate-limit.test.ts',
  'test/webhooks/delivery.test.ts',
  'test/mock/control.test.ts',
]

export default defineConfig({
  test: {
    pool: 'threads',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'multi-instance', include: ['test/redis/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'suites-on-redis', include: ON_REDIS, isolate: false, globalSetup: ['test/redis/support/global-redis.ts'] },
        resolve: {
          alias: [{ find: /^\.\.\/support\/mock\.ts$/, replacement: fileURLToPath(new URL('test/redis/support/mock-on-redis.ts', import.meta.url)) }],
        },
      },
    ],
  },
})
