/**
 * The request journal shared by every instance of a namespace: each instance appends
 * what it answered to one bounded stream, and GET /__mock/requests, its filters and the
 * live feed on any instance see every instance's requests, in the order they were recorded.
 */
import { createJournal, select, type Journal, type JournalEntry, type JournalInput } from '../journal.ts'
import type { SharedDeps } from './records.ts'
import { createSharedList } from './shared-list.ts'

const shown = (id: number, e: JournalInput): JournalEntry => ({ ...e, id, time: typeof e.time === 'number' ? new Date(e.time).toISOString() : e.time })

export function createRedisJournal(deps: SharedDeps, capacity = 5000): Journal {
  const local = createJournal(capacity)
  const { log, record, clear } = createSharedList<JournalInput>(deps, 'journal', capacity, local)
  return {
    record,
    list: (filter) => local.list(filter),
    async read(filter = {}) {
      return select(
        (await log.list()).map((e) => shown(e.id, e.value)),
        filter,
      )
    },
    clear,
    subscribe: (listener) => log.follow((e) => listener(shown(e.id, e.value))),
  }
}
