/** The client covers every operation of the spec, with the spec's method and path. */
import { describe, expect, it } from 'vitest'
import { loadSpec } from '../../openapi/load.ts'
import { OPERATIONS } from '../../client/operations.ts'

describe('client operation table', () => {
  const spec = loadSpec()
  const contacts = spec.operations.filter((op) => op.api === 'contacts')

  it('has every Contacts operation of the spec, and nothing else', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(contacts.map((op) => op.operationId).sort())
  })

  it('uses the spec method and path of each', () => {
    for (const op of contacts) {
      expect({
        id: op.operationId,
        method: OPERATIONS[op.operationId as keyof typeof OPERATIONS].method,
        path: OPERATIONS[op.operationId as keyof typeof OPERATIONS].path,
      }).toEqual({
        id: op.operationId,
        method: op.method.toUpperCase(),
        path: op.path,
      })
    }
  })

  it('retries no create blindly', () => {
    for (const id of ['create-contact', 'create-task', 'create-note', 'add-contact-to-workflow', 'add-contact-to-campaign'] as const) {
      expect(OPERATIONS[id].retrySafe, id).toBe(false)
    }
    expect(OPERATIONS['upsert-contact'].retrySafe).toBe(true)
    expect(OPERATIONS['search-contacts-advanced'].retrySafe).toBe(true)
  })
})
