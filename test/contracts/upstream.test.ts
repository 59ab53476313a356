/** contracts/upstream.ts: the vendor's Contacts spec as a response validator. */
import { describe, expect, it } from 'vitest'
import { loadUpstream } from '../../contracts/upstream.ts'

const upstream = await loadUpstream()
if (!upstream) console.warn('[upstream] skipped: ../shared/upstream not found (a fresh clone has none)')

describe('loadUpstream', () => {
  it('is null when the vendor folder is absent', async () => {
    expect(await loadUpstream('/nonexistent/upstream')).toBeNull()
  })

  it.skipIf(!upstream)('validates a body against the vendor response schema of an operationId and status', () => {
    expect(upstream!('get-task', 200, { task: { id: 'x', completed: true } })).toEqual([])
    expect(upstream!('get-task', 200, { task: { id: 'x', completed: 'yes' } })).toEqual([
      'get-task (GET /contacts/{contactId}/tasks/{taskId}) 200: body/task/completed must be boolean',
    ])
  })

  it.skipIf(!upstream)('finds operations by METHOD /path, and ours the vendor names differently by our spec', () => {
    const good = { succeded: true, errorCount: 0, responses: ['x: Tags updated'] }
    expect(upstream!('POST /contacts/bulk/tags/update/{type}', 201, good)).toEqual([])
    expect(upstream!('bulk-update-tags', 201, good)).toEqual([])
    expect(upstream!('bulk-update-tags', 201, { ...good, responses: [{ contactId: 'x' }] })).toEqual([
      'create-association (POST /contacts/bulk/tags/update/{type}) 201: body/responses/0 must be string',
    ])
  })

  it.skipIf(!upstream)('a status the vendor does not document is an error; a documented one without a schema accepts any body', () => {
    expect(upstream!('create-task', 200, {})).toEqual([
      'create-task (POST /contacts/{contactId}/tasks) 200: the vendor documents no 200 response (it documents 201, 400, 401, 422)',
    ])
    expect(upstream!('search-contacts-advanced', 200, { anything: 1 })).toEqual([])
  })

  it.skipIf(!upstream)('resolves the shared error schemas (../common/common-schemas.json)', () => {
    expect(upstream!('get-task', 400, { statusCode: 400, message: 'Task with id x not found' })).toEqual([])
  })

  it.skipIf(!upstream)('throws for an operation neither spec knows', () => {
    expect(() => upstream!('no-such-operation', 200, {})).toThrow(/no operation no-such-operation/)
  })
})
