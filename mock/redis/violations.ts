/**
 * Strict-mode violations shared by every instance of a namespace: each instance appends
 * what it saw to one bounded stream, so the list (and `ghl-mock report`, `verify`) on any
 * instance has every instance's violations.
 */
import { createViolationLog, type Violation, type ViolationLog } from '../contract/violations.ts'
import type { SharedDeps } from './records.ts'
import { createSharedList } from './shared-list.ts'

export function createRedisViolationLog(deps: SharedDeps, capacity = 2000): ViolationLog {
  const local = createViolationLog(capacity)
  const { log, record, clear } = createSharedList<Omit<Violation, 'id'>>(deps, 'violations', capacity, local)
  return {
    record,
    list: () => local.list(),
    read: async () => (await log.list()).map((e) => ({ id: e.id, ...e.value })),
    clear,
  }
}
