/**
 * The request journal behind GET /__mock/requests: what the mock answered, to whom,
 * and which injected fault (if any) shaped the answer. Bounded so a long CI run
 * cannot grow it without limit.
 */
export interface JournalEntry {
  id: number
  time: string
  method: string
  path: string
  operationId: string | null
  status: number
  durationMs: number
  locationId?: string
  app?: string
  fault?: string
  /** Rate-limit budget left in the window when the request arrived (before counting it). */
  rateRemaining?: number
}

export interface JournalFilter {
  status?: number
  operationId?: string
  locationId?: string
  app?: string
  fault?: string
  limit?: number
}

/** What the pipeline records: `time` may be the clock's epoch ms, written out as ISO 8601 only when listed. */
export type JournalInput = Omit<JournalEntry, 'id' | 'time'> & { time: string | number }

/**
 * In memory (createJournal) everything but `read` (async for the shared one's sake) is synchronous; with a shared store
 * (mock/redis/journal.ts) recording, reading every instance's entries, clearing and
 * subscribing talk to Redis.
 */
export interface Journal {
  record(entry: JournalInput): void | Promise<void>
  /** The entries this instance recorded (in memory: all of them), for in-process callers. */
  list(filter?: JournalFilter): JournalEntry[]
  /** The entries every instance recorded, oldest first: what GET /__mock/requests answers. */
  read(filter?: JournalFilter): Promise<JournalEntry[]>
  clear(): void | Promise<void>
  /** Called with every entry as it is recorded (the live stream); gives the unsubscribe function once the subscription is in place. */
  subscribe(listener: (entry: JournalEntry) => void): (() => void) | Promise<() => void>
}

/** The entries that pass the filter, its `limit` applied last. */
export function select(entries: JournalEntry[], filter: JournalFilter): JournalEntry[] {
  const match = entries.filter((e) => matchesFilter(e, filter))
  return filter.limit ? match.slice(-filter.limit) : match
}

export function matchesFilter(e: JournalEntry, filter: JournalFilter): boolean {
  return (
    (filter.status === undefined || e.status === filter.status) &&
    (filter.operationId === undefined || e.operationId === filter.operationId) &&
    (filter.locationId === undefined || e.locationId === filter.locationId) &&
    (filter.app === undefined || e.app === filter.app) &&
    (filter.fault === undefined || (filter.fault === '*' ? e.fault !== undefined : (e.fault?.includes(filter.fault) ?? false)))
  )
}

export function createJournal(capacity = 5000): Journal {
  // A ring: once full, each entry overwrites the oldest in place (slicing the array on
  // every request cost a copy of `capacity` entries per request).
  // Times are kept as the clock gave them: formatting a date on every request cost more
  // than the rest of the journal, and most entries are never listed.
  let entries: Array<JournalInput & { id: number }> = []
  let head = 0
  let nextId = 1
  const listeners = new Set<(entry: JournalEntry) => void>()
  /** Oldest first, times in ISO 8601. */
  const ordered = (): JournalEntry[] =>
    (head === 0 ? entries : [...entries.slice(head), ...entries.slice(0, head)]).map((e) =>
      typeof e.time === 'number' ? { ...e, time: new Date(e.time).toISOString() } : (e as JournalEntry),
    )
  return {
    record(entry) {
      // Field by field, not a spread: every entry gets one object shape (the spread cost ~1 µs a request).
      const full = {
        id: nextId++,
        time: entry.time,
        method: entry.method,
        path: entry.path,
        operationId: entry.operationId,
        status: entry.status,
        durationMs: entry.durationMs,
        locationId: entry.locationId,
        app: entry.app,
        fault: entry.fault,
        rateRemaining: entry.rateRemaining,
      } satisfies Record<keyof JournalEntry, unknown>
      if (entries.length < capacity) entries.push(full)
      else if (capacity > 0) {
        entries[head] = full
        head = (head + 1) % capacity
      }
      // Only with a listener (the console's live stream) is the time written out per request.
      if (listeners.size > 0) {
        const shown = typeof full.time === 'number' ? { ...full, time: new Date(full.time).toISOString() } : (full as JournalEntry)
        for (const l of listeners) l({ ...shown })
      }
    },
    list: (filter = {}) => select(ordered(), filter),
    read: async (filter = {}) => select(ordered(), filter),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    clear() {
      entries = []
      head = 0
    },
  }
}
