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

export interface ViolationLog {
  record(v: Omit<Violation, 'id'>): void
  list(): Violation[]
  clear(): void
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
    clear() {
      list = []
    },
  }
}
