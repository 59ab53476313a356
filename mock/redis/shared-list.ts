/**
 * What the shared journal and violations have in common: each instance keeps what it
 * recorded (for in-process callers) and appends it to one bounded stream of the namespace,
 * which any instance reads for all of them.
 */
import { createBoundedLog, type BoundedLog } from './bounded-log.ts'
import type { SharedDeps } from './records.ts'

export interface SharedList<T> {
  log: BoundedLog<T>
  record(value: T): Promise<void> | undefined
  clear(): void
}

export function createSharedList<T>(deps: SharedDeps, name: string, capacity: number, local: { record(value: T): void; clear(): void }): SharedList<T> {
  const log = createBoundedLog<T>({ client: deps.client, key: `${deps.prefix}${name}`, capacity })
  return {
    log,
    record(value) {
      local.record(value)
      if (capacity <= 0) return undefined
      // Awaited by the caller, so once a client has its answer any instance lists what it
      // recorded. Redis away: the request was answered (or refused) already; its entry is what is lost.
      return log.append(value).catch(() => {})
    },
    clear() {
      local.clear()
      // Best effort, so the rest of a reset neither waits on Redis nor stops at its error: left
      // uncleared, the shared list still shows entries from before the clear.
      if (deps.command()?.mine) void log.clear().catch(() => {})
    },
  }
}
