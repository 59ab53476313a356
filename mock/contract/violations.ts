/**
 * Consumer-contract violations found in strict mode: every request a consumer sends
 * that breaks the API's contract, kept with the request that caused it.
 */
export type ViolationKind =
  | 'unknown-endpoint'
  | 'invalid-request'
  | 'missing-version'
  | 'invalid-version'
  | 'invalid-token'
  | 'insufficient-scope'
  | 'wrong-location'
  | 'rate-limit-ignored'
  | 'duplicate-create'
  | 'webhook-not-acknowledged'

export interface Violation {
  id: number
  time: string
  kind: ViolationKind
  message: string
  request: { method: string; path: string; query: string; operationId: string | null; app?: string; locationId?: string; body?: unknown }
  response: { status: number; body?: unknown }
}

/** In memory (createViolationLog) synchronous; with a shared store (mock/redis/violations.ts) kept in Redis too. */
export interface ViolationLog {
  record(v: Omit<Violation, 'id'>): void | Promise<void>
  /** The violations this instance recorded (in memory: all of them), for in-process callers. */
  list(): Violation[]
  /** The violations every instance recorded, oldest first: what the control API answers. */
  read(): Promise<Violation[]>
  clear(): void | Promise<void>
}

export function createViolationLog(capacity = 2000): ViolationLog {
  let list: Violation[] = []
  let nextId = 1
  return {
    record(v) {
      list.push({ id: nextId++, ...v })
      if (list.length > capacity) list = list.slice(-capacity)
    },
    list: () => [...list],
    read: async () => [...list],
    clear() {
      list = []
    },
  }
}
