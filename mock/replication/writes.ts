/**
 * Which operations change state, and so go through the namespace's log instead of
 * running on one instance only. Read from the spec's methods, with the exceptions the
 * methods get wrong both ways.
 */
import type { Operation } from '../../openapi/load.ts'

/** POSTs that change nothing shared: search, and sending what this instance's queue holds. */
const READS = new Set(['search-contacts-advanced', 'flushWebhooks'])
/** A GET that changes state: the consent page issues an authorization code. */
const GET_WRITES = new Set(['choose-location'])

export function writes(op: Pick<Operation, 'method' | 'operationId'>): boolean {
  if (GET_WRITES.has(op.operationId)) return true
  return op.method !== 'get' && !READS.has(op.operationId)
}
