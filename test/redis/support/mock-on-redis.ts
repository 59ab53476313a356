/**
 * test/support/mock.ts with every mock on Redis (`--store`, a namespace of its own), for
 * the ordinary suites run again by vitest.redis.config.ts: the same assertions on both stores.
 * Files run in threads of one process and reload this module: only a random name keeps them apart.
 */
import { randomUUID } from 'node:crypto'
import { inject } from 'vitest'
import { makeMock as makeMemoryMock } from '../../support/mock.ts'
import type { MockOptions } from '../../../mock/options.ts'

export * from '../../support/mock.ts'

export function makeMock(options: Partial<MockOptions> = {}) {
  return makeMemoryMock({ store: inject('redisUrl'), namespace: `suite-${randomUUID()}`, ...options })
}
