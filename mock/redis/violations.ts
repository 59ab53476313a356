/**
 * Strict-mode violations shared by every instance of a namespace: each instance appends
 * what it saw to one bounded stream, so the list (and `ghl-mock report`, `verify`) on any
 * instance has every instance's violations.
 */
import { createViolationLog, type Violation, type ViolationLog } from '../contract/violations.ts'
import { createBoundedLog } from './bounded-log.ts'
import type { SharedDeps } from './journal.ts'

export function createRedisViolationLog(deps: SharedDeps, capacity = 2000): ViolationLog {
  const local = createViolationLog(capacity)
  const log = createBoundedLog<Omit<Violation, 'id'>>({ client: deps.client, key: `${deps.prefix}violations`, capacity })
  return {
    record(v) {
      local.record(v)
      // Redis away: the request was answered already; the violation is what is lost.
      return log.append(v).catch(() => {})
    },
    list: () => local.list(),
    async read() {
      return (await log.list()).map((e) => ({ id: e.id, ...e.value }))
    },
    clear() {
      local.clear()
      // Best effort, as the rest of the reset must not wait on Redis or stop at its error: left
      // uncleared, the shared list only shows entries from before the clear.
      if (deps.command()?.mine) void log.clear().catch(() => {})
    },
  }
}
