/** One redis-server for the ordinary suites run on Redis (vitest.redis.config.ts), stopped after them. */
import type { TestProject } from 'vitest/node'
import { startTestRedis, type TestRedis } from './redis-server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string
  }
}

let redis: TestRedis | undefined

export async function setup(project: TestProject) {
  redis = await startTestRedis()
  project.provide('redisUrl', redis.url)
}

export async function teardown() {
  await redis?.stop()
}
