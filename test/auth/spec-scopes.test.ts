/**
 * Scopes come from the spec, never from a list that could drift: every Contacts
 * operation's required scope, read here straight from openapi/contacts.yaml, is enforced;
 * and a mock built from a spec with other scopes enforces those instead.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { specFiles, type Operation } from '../../openapi/load.ts'
import { createMockApp } from '../../mock/app.ts'
import { createClock } from '../../mock/clock.ts'
import { resolveOptions } from '../../mock/options.ts'
import { createMockState } from '../../mock/state.ts'
import { createValidator } from '../../openapi/validator.ts'
import { SCOPE_MESSAGE } from '../../mock/errors.ts'
import { T0, VERSION, makeMock, type TestMock } from '../support/mock.ts'

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const
/** operation → scopes, from the YAML itself (not through openapi/load.ts). */
const raw = parse(readFileSync(specFiles.contacts, 'utf8'))
const required = new Map<string, { method: string; path: string; scopes: string[] }>()
for (const [path, item] of Object.entries<any>(raw.paths)) {
  for (const method of METHODS) {
    const op = item[method]
    if (!op) continue
    const security: Array<Record<string, string[]>> = op.security ?? raw.security ?? []
    required.set(op.operationId, { method, path, scopes: [...new Set(security.flatMap((r) => Object.values(r).flat()))] })
  }
}
const allScopes = [...new Set([...required.values()].flatMap((r) => r.scopes))]

let m: TestMock
let contactId: string
beforeAll(async () => {
  m = await makeMock({ locations: 2, contacts: 3 })
  contactId = (await m.state.store.listContacts(m.location.id, { limit: 1 })).contacts[0].id
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

const tokenWith = async (scopes: string[]) => (await m.http.post('/__mock/tokens').send({ locationId: m.location.id, scopes })).body.access_token as string

/** A request for the operation on the token's own location: path ids filled in, locationId in the query. */
function call(method: string, path: string, token: string) {
  const url = path.replace('{contactId}', contactId).replace(/\{[^}]+\}/g, 'x0000000000000000000')
  const req = (m.http as any)[method](`${url}?locationId=${m.location.id}`).set('Authorization', `Bearer ${token}`).set('Version', VERSION)
  return method === 'get' ? req : req.send({})
}

describe('scopes from openapi/contacts.yaml', () => {
  it('every Contacts operation requires at least one scope', () => {
    expect(required.size).toBeGreaterThan(0)
    for (const [id, r] of required) expect(r.scopes.length, id).toBeGreaterThan(0)
  })

  it.each([...required.entries()])('%s: a token lacking its scope gets 401, one with only its scope passes auth', async (_id, r) => {
    const lacking = await tokenWith(allScopes.filter((s) => !r.scopes.includes(s)))
    const denied = await call(r.method, r.path, lacking)
    expect({ status: denied.status, message: denied.body.message }).toEqual({ status: 401, message: SCOPE_MESSAGE })
    const exact = await tokenWith(r.scopes)
    const allowed = await call(r.method, r.path, exact)
    expect([401, 403], `${allowed.status} ${JSON.stringify(allowed.body)}`).not.toContain(allowed.status)
  })
})

describe('a mock built from a different spec', () => {
  it('enforces the scopes of that spec: the decision follows the spec, not a list in the code', async () => {
    const state = await createMockState(resolveOptions({ locations: 1, contacts: 1, clock: createClock({ start: T0, frozen: true }) }))
    const swap = (s: string) => (s === 'contacts.readonly' ? 'contacts.write' : s === 'contacts.write' ? 'contacts.readonly' : s)
    const operations: Operation[] = state.spec.operations.map((op) => (op.api === 'contacts' ? { ...op, scopes: op.scopes.map(swap) } : op))
    state.spec = { ...state.spec, operations, byId: new Map(operations.map((op) => [op.operationId, op])) }
    state.validator = createValidator(state.spec)
    const app = await createMockApp(state)
    const location = (await state.store.listLocations())[0]
    const get = (scope: string) => {
      const token = state.tokens.issue({ kind: 'pit', userType: 'Location', locationId: location.id, companyId: location.companyId, scopes: [scope] })
      return app.request(`/contacts/?locationId=${location.id}&limit=1`, { headers: { Authorization: `Bearer ${token.token}`, Version: VERSION } })
    }
    const readonly = await get('contacts.readonly')
    expect(readonly.status).toBe(401)
    expect(((await readonly.json()) as any).message).toBe(SCOPE_MESSAGE)
    expect((await get('contacts.write')).status).toBe(200)
  })
})
