/**
 * Hostile requests generated from the specs, for the fuzz suites. Every operation of the
 * three documents gets requests whose path, query and body follow its schemas most of the
 * time and break them the rest of the time (wrong types, out-of-range numbers, long and
 * odd strings, prototype keys, deep nesting, raw text that is barely JSON).
 *
 * Reproducible: FUZZ_SEED fixes the seed (printed by every suite), FUZZ_RUNS the number
 * of cases (`FUZZ_RUNS=20000 npx vitest run test/fuzz`).
 */
import fc from 'fast-check'
import { expect } from 'vitest'
import type { Operation, SpecIndex } from '../../openapi/load.ts'
import { mergeAllOf } from '../support/arbitrary.ts'

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261203)
/** Scales every suite's case count; the default keeps `npm test` fast. */
export const FUZZ_RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined

export function runs(byDefault: number, share = 1): number {
  return FUZZ_RUNS === undefined ? byDefault : Math.max(1, Math.round(FUZZ_RUNS * share))
}

export function announce(suite: string, n: number): void {
  const knob = FUZZ_RUNS === undefined ? '' : ` FUZZ_RUNS=${FUZZ_RUNS}`
  console.log(`[fuzz] ${suite}: ${n} cases, seed ${FUZZ_SEED} (reproduce: FUZZ_SEED=${FUZZ_SEED}${knob} npx vitest run test/fuzz)`)
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Doc = Record<string, any>

/** A JSON text with an own `__proto__` (or other) key, which JSON.stringify of a literal can't write. */
export class RawJson {
  constructor(readonly text: string) {}
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf']

const nasty = fc.constantFrom(
  '',
  ' ',
  'null',
  'undefined',
  '0',
  '-1',
  '1e400',
  'NaN',
  'true',
  '../../etc/passwd',
  '%00',
  '%2F',
  '\u0000',
  '\uD800',
  '💥',
  'ﬀ',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:x}',
  '{{7*7}}',
  '2021-13-45T99:99:99Z',
  '+275760-09-13T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00.000Z',
  '*',
  '.*',
  '(a+)+$',
  ...PROTO_KEYS,
)

const numbers = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    -1e-9,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    8.64e15,
    8.64e15 + 1,
    -8.64e15,
    1e21,
    1e300,
    -1e300,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)

const strings = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 76, max: 70_000 }).map((n) => 'a'.repeat(n)) },
)

/** Arrays or objects nested `depth` levels around a leaf. */
const nested = fc.tuple(fc.integer({ min: 2, max: 40 }), fc.boolean()).map(([depth, arrays]) => {
  let v: Json = 'x'
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v }
  return v
})

export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: strings },
  { weight: 2, arbitrary: numbers },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: nested },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(nasty, fc.string({ maxLength: 8 })), fc.oneof(strings, numbers), { maxKeys: 4 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.array(fc.oneof(strings, numbers), { maxLength: 5 }) },
)

function resolve(doc: Doc, schema: any): any {
  let s = schema
  for (let i = 0; s && typeof s.$ref === 'string' && i < 20; i++) {
    s = s.$ref
      .slice(2)
      .split('/')
      .reduce((node: any, key: string) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return s ?? {}
}

/**
 * Values for a schema: valid ones (respecting enums, bounds and required keys, with ids from
 * `pools`) most of the time, a hostile value at any node the rest of the time.
 */
export function fromSchema(doc: Doc, schema: any, pools: Pools, depth = 0, hostility = 6): fc.Arbitrary<Json> {
  const valid = validFor(doc, resolve(doc, schema), pools, depth, hostility)
  return hostility === 0 ? valid : fc.oneof({ weight: hostility, arbitrary: valid }, { weight: 1, arbitrary: hostileValue })
}

function validFor(doc: Doc, s: any, pools: Pools, depth: number, hostility: number): fc.Arbitrary<Json> {
  if (depth > 6) return fc.constant(null)
  const alts = s.anyOf ?? s.oneOf
  if (alts) return fc.oneof(...(alts as any[]).map((a) => fromSchema(doc, a, pools, depth + 1, hostility)))
  if (s.allOf) {
    return validFor(doc, mergeAllOf(s.allOf.map((a: any) => resolve(doc, a))), pools, depth, hostility)
  }
  if (s.enum) return fc.constantFrom(...(s.enum as Json[]))
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string', 'number', 'object']
  return fc.oneof(...types.map((t) => ofType(doc, s, t, pools, depth, hostility)))
}

function ofType(doc: Doc, s: any, type: string, pools: Pools, depth: number, hostility: number): fc.Arbitrary<Json> {
  switch (type) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
    case 'number': {
      const min = s.minimum ?? -1000
      const max = s.maximum ?? Math.max(min, 0) + 1000
      // Small values: a valid reset or limit must not take seconds.
      const hi = Math.min(max, min + 1000)
      return type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.floor(hi) }) : fc.double({ min, max: hi, noNaN: true })
    }
    case 'string': {
      if (s.format === 'date-time') return fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString())
      if (s.format === 'email') return fc.emailAddress()
      if (s.format === 'uri') return fc.webUrl()
      return fc.oneof({ weight: 3, arbitrary: pools.ids }, { weight: 2, arbitrary: fc.string({ maxLength: Math.min(s.maxLength ?? 20, 20) }) })
    }
    case 'array':
      return fc.array(fromSchema(doc, s.items ?? {}, pools, depth + 1, hostility), { maxLength: Math.min(s.maxItems ?? 4, 4) })
    default: {
      const props: Record<string, any> = s.properties ?? {}
      const required: string[] = s.required ?? []
      const keys = Object.keys(props)
      const record: Record<string, fc.Arbitrary<Json>> = {}
      for (const k of keys) {
        const bounded = pools.bounded?.[k]
        record[k] = bounded
          ? hostility === 0
            ? bounded
            : fc.oneof({ weight: hostility, arbitrary: bounded }, { weight: 1, arbitrary: hostileValue })
          : hostility === 0 && pools.byName?.[k]
            ? pools.byName[k]
            : fromSchema(doc, props[k], pools, depth + 1, hostility)
      }
      return fc.record(record, { requiredKeys: required.filter((k) => k in props) }) as fc.Arbitrary<Json>
    }
  }
}

export interface Pools {
  /** Ids the mock knows (both locations' contacts, tasks, notes, users, tokens, apps...), and some it doesn't. */
  ids: fc.Arbitrary<string>
  /** Ids of the caller's own location only, for requests meant to reach the handlers. */
  own: fc.Arbitrary<string>
  /** Values for parameters and properties of this name in clean requests (contactId, locationId...). */
  byName?: Record<string, fc.Arbitrary<string>>
  /** Valid values for properties of this name in every request (hostile ones still replace them now and then). */
  bounded?: Record<string, fc.Arbitrary<Json>>
}

export interface FuzzRequest {
  method: string
  path: string
  headers: Record<string, string>
  body?: string
}

/** The raw text of a body: JSON mostly, sometimes broken on purpose. */
function bodyText(value: fc.Arbitrary<Json>): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 12, arbitrary: value.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        'null',
        '[]',
        '"x"',
        '{',
        '{"a":',
        '{"a":1E400}',
        '{"advanceMs":1E400}',
        '\uFEFF{}',
        'a=1&b=2',
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        '{"a":1,"a":2}',
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PROTO_KEYS), value).map(([k, v]) => `{"${k}":{"polluted":1},"x":${JSON.stringify(v) ?? 'null'}}`) },
    { weight: 1, arbitrary: fc.integer({ min: 30, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
  )
}

const VERSIONS = fc.oneof(
  { weight: 8, arbitrary: fc.constant('2021-07-28') },
  { weight: 1, arbitrary: fc.constantFrom('2021-04-15', '2020-01-01', '') },
  { weight: 1, arbitrary: nasty },
)

/**
 * One request for `op`: half of them "clean" (schema-valid values, the caller's own ids, so
 * they reach the handlers), half hostile at any part. `auth` gives the Authorization values.
 */
export function requestFor(doc: Doc, op: Operation, pools: Pools, auth: fc.Arbitrary<string | undefined>): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(build(doc, op, { ...pools, ids: pools.own }, auth, 0), build(doc, op, pools, auth, 6))
}

function build(doc: Doc, op: Operation, pools: Pools, auth: fc.Arbitrary<string | undefined>, hostility: number): fc.Arbitrary<FuzzRequest> {
  const clean = hostility === 0
  const pathParams = op.parameters.filter((p) => p.in === 'path')
  const query = op.parameters.filter((p) => p.in === 'query')
  const param = (name: string, schema: any) =>
    clean
      ? (pools.byName?.[name] ?? pools.ids)
      : fc.oneof(
          { weight: 4, arbitrary: pools.ids },
          { weight: 1, arbitrary: fromSchema(doc, schema, pools).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))) },
        )
  const queryValue = (name: string, schema: any) =>
    (clean && pools.byName?.[name] ? pools.byName[name] : fromSchema(doc, schema, pools, 0, hostility)).map((v) =>
      typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v),
    )
  const queryArb = fc.record(Object.fromEntries(query.map((p) => [p.name, queryValue(p.name, p.schema)])), {
    requiredKeys: query.filter((p) => p.required).map((p) => p.name),
  })
  const extraQuery = clean
    ? fc.constant([])
    : fc.array(fc.tuple(fc.oneof(nasty, fc.string({ maxLength: 6 })), fc.oneof(nasty, fc.string({ maxLength: 6 }))), { maxLength: 2 })
  const schema = op.requestBody && { $ref: op.requestBody.pointer.replace(/^[^#]*/, '') }
  const body = schema
    ? clean
      ? fromSchema(doc, schema, pools, 0, 0).map((v) => JSON.stringify(v))
      : bodyText(fromSchema(doc, schema, pools))
    : fc.constant(undefined)
  const contentType = clean
    ? fc.constant(op.requestBody?.contentType ?? 'application/json')
    : fc.oneof(
        { weight: 5, arbitrary: fc.constant(op.requestBody?.contentType ?? 'application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            '',
          ),
        },
      )
  const method = op.method.toUpperCase()
  return fc
    .record({
      params: fc.tuple(...pathParams.map((p) => param(p.name, p.schema))),
      query: queryArb,
      extraQuery,
      body,
      auth,
      version: clean ? fc.constant('2021-07-28') : VERSIONS,
      contentType,
      method: clean
        ? fc.constant(method)
        : fc.oneof(
            { weight: 10, arbitrary: fc.constant(method) },
            { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') },
          ),
    })
    .map(({ params, query, extraQuery, body, auth, version, contentType, method }) => {
      let i = 0
      const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++] ?? ''))
      const search = new URLSearchParams()
      for (const [k, v] of Object.entries(query)) search.append(k, v as string)
      for (const [k, v] of extraQuery) search.append(k, v)
      const headers: Record<string, string> = {}
      // Header values are bytes: a fetch Request refuses characters past U+00FF.
      if (auth !== undefined) headers.authorization = latin1(auth)
      if (version !== '') headers.version = latin1(version)
      const withBody = body !== undefined && method !== 'GET' && method !== 'HEAD'
      if (withBody && contentType !== '') headers['content-type'] = contentType
      const qs = search.toString()
      return { method, path: qs ? `${path}?${qs}` : path, headers, body: withBody ? body : undefined }
    })
}

const latin1 = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')

/** Requests for every operation in `ops`, each equally likely (by operationId, so a counterexample prints short). */
export function requestsFor(
  spec: SpecIndex,
  ops: Operation[],
  pools: Pools,
  auth: fc.Arbitrary<string | undefined>,
): fc.Arbitrary<{ operationId: string; req: FuzzRequest }> {
  return fc.oneof(
    ...ops.map((op) => {
      const doc = spec.documents.find((d) => d.name === op.api)!.doc
      return requestFor(doc, op, pools, auth).map((req) => ({ operationId: op.operationId, req }))
    }),
  )
}

/** The GHL error shape: statusCode equal to the status, message a string or a list of strings. */
export function expectGhlError(status: number, text: string, where: string): void {
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`${where}: ${status} body is not JSON: ${text.slice(0, 200)}`)
  }
  const ok =
    body &&
    body.statusCode === status &&
    (typeof body.message === 'string' || (Array.isArray(body.message) && body.message.every((m: unknown) => typeof m === 'string')))
  if (!ok) throw new Error(`${where}: ${status} body is not in the GHL error shape: ${text.slice(0, 300)}`)
}

const PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
]

/** Own keys of the built-in prototypes, to compare before and after a run. */
export function prototypeKeys(): Record<string, string[]> {
  return Object.fromEntries(PROTOTYPES.map(([name, p]) => [name, Reflect.ownKeys(p).map(String).sort()]))
}

export function expectNoPollution(before: Record<string, string[]>): void {
  expect(prototypeKeys()).toEqual(before)
  expect(({} as any).polluted).toBeUndefined()
  expect(([] as any).polluted).toBeUndefined()
  expect(Object.create(null).polluted).toBeUndefined()
}
