/**
 * The request journal shared by every instance of a namespace: each instance appends
 * what it answered to one bounded stream, and GET /__mock/requests, its filters and the
 * live feed on any instance see every instance's requests, in the order they were recorded.
 */
import type { Redis } from 'ioredis'
import { createJournal, select, type Journal, type JournalEntry, type JournalInput } from '../journal.ts'
import { createBoundedLog } from './bounded-log.ts'

export interface SharedDeps {
  client: Redis
  prefix: string
  /** The logged command being applied, if any; `mine`: this instance took it, and so alone clears what is shared. */
  command(): { id: string; mine: boolean } | undefined
}

const shown = (id: number, e: JournalInput): JournalEntry => ({ ...e, id, time: typeof e.time === 'number' ? new Date(e.time).toISOString() : e.time })

export function createRedisJournal(deps: SharedDeps, capacity = 5000): Journal {
  // What this instance served, as the memory store keeps it, for in-process callers.
  const local = createJournal(capacity)
  const log = createBoundedLog<JournalInput>({ client: deps.client, key: `${deps.prefix}journal`, capacity })
  return {
    record(entry) {
      local.record(entry)
      if (capacity <= 0) return
      // Awaited, so once a client has its answer any instance lists the request. Redis away:
      // the request was answered (or refused) already; its entry is what is lost.
      return log.append(entry).catch(() => {})
    },
    list: (filter) => local.list(filter),
    async read(filter = {}) {
      return select(
        (await log.list()).map((e) => shown(e.id, e.value)),
        filter,
      )
    },
    clear() {
      local.clear()
      // Best effort, as the rest of the reset must not wait on Redis or stop at its error: left
      // uncleared, the shared list only shows entries from before the clear.
      if (deps.command()?.mine) void log.clear().catch(() => {})
    },
    subscribe: (listener) => log.follow((e) => listener(shown(e.id, e.value))),
  }
}
