/**
 * Positive property suite (issue 16): requests the spec calls valid, generated from its own
 * request schemas, for every Contacts operation. Each must get a 2xx, or a business refusal
 * (unknown id, duplicate, location access, ...) whose message the spec's description of that
 * status names; and every body must validate against the spec. Anything else is a
 * disagreement between spec and mock.
 *
 * Ids come from the seeded data, read when the request is sent: path ids name records that
 * exist then (a contact, its task or note, the location's campaigns, workflows,
 * businesses), and reference fields in bodies name the location's users, custom fields,
 * businesses and contacts. One request in ten names the other location (the 403 case).
 *
 * Seeded and reproducible: PROP_SEED (default 16) and PROP_RUNS (cases per operation,
 * default 8, i.e. 256 requests) change the run.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSpec, type Operation } from '../../openapi/load.ts'
import { createValidator } from '../../openapi/validator.ts'
import type { Location } from '../../mock/store/types.ts'
import { arbitraryFor } from '../support/arbitrary.ts'
import { makeMock, type TestMock } from '../support/mock.ts'

const RUNS = Number(process.env.PROP_RUNS ?? 8)
const SEED = Number(process.env.PROP_SEED ?? 16)

const spec = loadSpec()
const validator = createValidator(spec)
const doc = spec.documents.find((d) => d.name === 'contacts')!.doc
// Deleting contacts last keeps the pool of ids the other operations draw from.
const operations = spec.operations
  .filter((op) => op.api === 'contacts')
  .sort((a, b) => Number(a.operationId === 'delete-contact') - Number(b.operationId === 'delete-contact'))

const resolveRef = (node: any): any =>
  node?.$ref
    ? resolveRef(
        node.$ref
          .slice(2)
          .split('/')
          .reduce((n: any, k: string) => n[k.replace(/~1/g, '/')], doc),
      )
    : node

/**
 * The refusals a status's description names, as patterns: each `code span` of it, with
 * `<placeholder>` and `…` matching anything.
 */
function documentedMessages(op: Operation, status: number): Array<{ span: string; re: RegExp }> {
  const response = resolveRef(doc.paths[op.path][op.method].responses[String(status)])
  const spans = [...String(response?.description ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1])
  const escapeRe = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return spans.map((span) => ({
    span,
    re: new RegExp(
      `^${span
        .split(/<[^>]+>|…/)
        .map(escapeRe)
        .join('.+')}$`,
    ),
  }))
}

/** Business refusals: the request is valid, the records or the token's location say no. */
const REFUSALS = new Set([400, 403, 422])

let m: TestMock
let loc: Location
const tally = new Map<string, { skipped: number; ok: number; refused: Map<string, number> }>()

beforeAll(async () => {
  // Limits off: no 429 (the clock is frozen); the rate-limit headers the spec requires are still sent.
  m = await makeMock({ rateLimit: false })
  loc = m.location
})

afterAll(() => {
  const lines = [...tally].map(
    ([id, t]) =>
      `${id.padEnd(36)} ${String(t.ok).padStart(5)} 2xx ${String(t.skipped).padStart(5)} invalid (not sent)  ${[...t.refused].map(([msg, n]) => `${n}× ${msg.slice(0, 44)}`).join('; ')}`,
  )
  if (process.env.PROP_REPORT) console.log(lines.join('\n'))
})

/** Values for reference fields, drawn from the seeded location (the other one now and then). */
function refs(name: string): fc.Arbitrary<unknown> | undefined {
  const users = loc.users.map((u) => u.id)
  switch (name) {
    case 'locationId':
      return fc.oneof({ weight: 9, arbitrary: fc.constant(loc.id) }, { weight: 1, arbitrary: fc.constant(m.other.location.id) })
    case 'assignedTo':
    case 'userId':
      return fc.constantFrom(...users)
    case 'followers':
      return fc.uniqueArray(fc.constantFrom(...users), { minLength: 1, maxLength: 3 })
    case 'businessId':
      return fc.option(fc.constantFrom(...loc.businesses.map((b) => b.id)), { nil: null })
    case 'id':
      return fc.constantFrom(...loc.customFields.map((f) => f.id))
    case 'key':
      return fc.constantFrom(...loc.customFields.map((f) => f.key))
    // Mostly fresh, so that creates and updates are not all refused as duplicates.
    case 'email':
      return fc.oneof(
        { weight: 4, arbitrary: fc.noBias(fc.uuid()).map((u) => `p.${u.slice(0, 13)}@example.test`) },
        { weight: 1, arbitrary: fc.constant(null) },
      )
    case 'phone':
      return fc.oneof(
        { weight: 4, arbitrary: fc.noBias(fc.integer({ min: 2_000_000_000, max: 9_999_999_999 })).map((n) => `+1 ${n}`) },
        { weight: 1, arbitrary: fc.stringMatching(/\d/) },
        { weight: 1, arbitrary: fc.constant(null) },
      )
    case 'field':
      return fc.oneof(fc.constantFrom('tags', 'email', 'firstName', 'dateAdded', 'businessId', 'dnd', 'country', 'phone'), fc.string({ maxLength: 12 }))
  }
  return undefined
}

/** Contact ids of the location, read when a case runs (bulk bodies name up to three). */
let contactIds: string[] = []
const contactRef = (name: string) =>
  name === 'contacts' || name === 'ids' ? fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 3 }).map((ix) => ({ contactsAt: ix })) : refs(name)

function requestArbitrary(op: Operation) {
  const query: Record<string, fc.Arbitrary<unknown>> = {}
  const requiredQuery: string[] = []
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    query[p.name] = arbitraryFor(p.schema, { root: doc, refs: contactRef }, p.name)
    if (p.required || p.name === 'locationId') requiredQuery.push(p.name)
  }
  const enums = Object.fromEntries(
    op.parameters.filter((p) => p.in === 'path' && (p.schema as any).enum).map((p) => [p.name, arbitraryFor(p.schema, { root: doc })]),
  )
  const body = op.requestBody
    ? arbitraryFor(resolveRef({ $ref: op.requestBody.pointer.slice(op.requestBody.pointer.indexOf('#')) }), { root: doc, refs: contactRef })
    : fc.constant(undefined)
  return fc.record({ pick: fc.nat(), query: fc.record(query, { requiredKeys: requiredQuery }), enums: fc.record(enums), body })
}

/** `{contactsAt: [i…]}` placeholders → contact ids of the location as it is now. */
function withContacts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withContacts)
  if (value && typeof value === 'object') {
    const at = (value as { contactsAt?: number[] }).contactsAt
    if (at) return [...new Set(at.map((i) => contactIds[i % contactIds.length]))]
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withContacts(v)]))
  }
  return value
}

/** Path ids that exist now: a contact (with a task or note when the path names one), and the location's records. */
async function pathParams(op: Operation, pick: number, enums: Record<string, unknown>): Promise<Record<string, string>> {
  const names = op.parameters.filter((p) => p.in === 'path').map((p) => p.name)
  const params: Record<string, string> = Object.fromEntries(Object.entries(enums).map(([k, v]) => [k, String(v)]))
  const nth = <T>(list: T[]) => list[pick % list.length]
  if (names.includes('contactId')) {
    const child = names.includes('taskId') ? 'tasks' : names.includes('id') ? 'notes' : undefined
    let candidates = contactIds
    if (child) {
      const withChild: Array<[string, string]> = []
      for (const id of contactIds) {
        const list = child === 'tasks' ? await m.state.store.listTasks(id) : await m.state.store.listNotes(id)
        for (const x of list) withChild.push([id, x.id])
      }
      const [contactId, childId] = nth(withChild)
      params[child === 'tasks' ? 'taskId' : 'id'] = childId
      candidates = [contactId]
    }
    params.contactId = nth(candidates)
  }
  if (names.includes('campaignId')) params.campaignId = nth(loc.campaigns).id
  if (names.includes('workflowId')) params.workflowId = nth(loc.workflows).id
  if (names.includes('businessId')) params.businessId = nth(loc.businesses).id
  return params
}

describe.each(operations.map((op) => [op.operationId, op] as const))('%s: valid requests get a 2xx or a documented refusal', (id, op) => {
  it(`${RUNS} generated requests (seed ${SEED * 1000 + operations.indexOf(op)})`, async () => {
    const t = { skipped: 0, ok: 0, refused: new Map<string, number>() }
    tally.set(id, t)
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op), async (gen) => {
        contactIds = (await m.state.store.listContacts(loc.id, { limit: 10_000 })).contacts.map((c) => c.id)
        const params = await pathParams(op, gen.pick, gen.enums)
        const body = withContacts(gen.body)
        const query = Object.fromEntries(Object.entries(gen.query).map(([k, v]) => [k, String(v)]))
        // Only requests the spec calls valid (it knows if/then, not and cross-field rules).
        const check = validator.checkRequest(op, { params, query, body })
        if (check.errors.length > 0 || check.refusal) t.skipped++
        fc.pre(check.errors.length === 0 && !check.refusal)

        const url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name]))
        let req = m.http[op.method](url).set(m.auth()).query(query)
        if (body !== undefined) req = req.send(body as object)
        const res = await req
        const what = `${op.method.toUpperCase()} ${url} ${JSON.stringify(query)} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`

        const documented = validator.checkResponse(op, res.status, res.body, res.headers as Record<string, string>)
        expect(documented.errors, what).toEqual([])
        if (res.status >= 200 && res.status < 300) {
          t.ok++
          return
        }
        expect(REFUSALS.has(res.status), `not a business refusal: ${what}`).toBe(true)
        const messages: string[] = Array.isArray(res.body.message) ? res.body.message : [res.body.message]
        const named = documentedMessages(op, res.status)
        for (const message of messages) {
          const reason = named.find(({ re }) => re.test(message))
          expect(reason, `the spec's ${res.status} description does not name this refusal: ${what}`).toBeDefined()
          const key = `${res.status} ${reason!.span}`
          t.refused.set(key, (t.refused.get(key) ?? 0) + 1)
        }
      }),
      // One seed per operation: the same seed everywhere would send creates the emails upserts already took.
      { seed: SEED * 1000 + operations.indexOf(op), numRuns: RUNS, endOnFailure: true },
    )
    expect(m.state.selfCheckFailures).toEqual([])
  })
})
