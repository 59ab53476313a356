/**
 * fast-check arbitraries derived from JSON Schemas of our OpenAPI documents: type (and type
 * lists), const, enum, format (email, date-time, date, uri), pattern, min/max length,
 * minimum/maximum, min/max items, uniqueItems, required/optional properties, oneOf/anyOf
 * (one branch each; a branch inherits what its parent says besides the union), allOf
 * (merged), `$ref` within the document, and `default`. `if`/`then` and `not` are not
 * generated towards: a caller filters by the real validator, which knows them.
 *
 * `refs` supplies values for named properties wherever they occur (ids of seeded
 * records: locationId, assignedTo, followers...), since a schema cannot know them.
 */
import fc from 'fast-check'

type Schema = Record<string, any>

export interface ArbitraryOptions {
  /** The document local `$ref`s point into. */
  root: Schema
  /** A value for a property of this name, wherever it occurs; undefined: from its schema. */
  refs?: (name: string) => fc.Arbitrary<unknown> | undefined
  /** How many times one `$ref` may nest inside itself (recursive schemas). */
  recursion?: number
}

const COMBINATORS = ['oneOf', 'anyOf', 'allOf', 'discriminator', 'if', 'then', 'else', 'not']

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`)
  return ref
    .slice(2)
    .split('/')
    .reduce((node: any, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], root)
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/)
const email = fc.tuple(word, word).map(([user, host]) => `${user}@${host}.example`)
// 1970..2100, whole milliseconds, as the API writes them.
const instant = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString())

function stringArbitrary(s: Schema): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0
  const maxLength = s.maxLength ?? Math.max(minLength, 24)
  const fits = (v: string) => v.length >= minLength && v.length <= maxLength
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern, 'u')).filter(fits)
  switch (s.format) {
    case 'email':
      return email.filter(fits)
    case 'date-time':
      return instant.filter(fits)
    case 'date':
      return instant.map((t) => t.slice(0, 10)).filter(fits)
    case 'uri':
    case 'url':
      return fc.webUrl().filter(fits)
  }
  return fc.string({ minLength, maxLength })
}

function numberArbitrary(s: Schema, integer: boolean): fc.Arbitrary<number> {
  let min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : undefined)
  let max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : undefined)
  // Small numbers by default: sizes, pages and counts are what a valid request sends.
  min ??= max !== undefined ? Math.min(0, max) : 0
  max ??= min + 100
  const arb = integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
  return s.multipleOf ? arb.filter((n) => Number.isInteger(n / s.multipleOf)) : arb
}

/** `name`: the property or parameter the schema describes (for `refs`). */
/** allOf parts (already resolved) merged into one schema: properties and required lists add up. */
export function mergeAllOf(parts: Schema[], base: Schema = {}): Schema {
  return parts.reduce(
    (acc: Schema, p: Schema) => ({
      ...acc,
      ...p,
      properties: { ...acc.properties, ...p.properties },
      required: [...(acc.required ?? []), ...(p.required ?? [])],
    }),
    base,
  )
}

export function arbitraryFor(schema: Schema, options: ArbitraryOptions, name?: string): fc.Arbitrary<unknown> {
  return build(schema, options, [], name)
}

function build(input: Schema, o: ArbitraryOptions, stack: string[], name?: string): fc.Arbitrary<unknown> {
  const named = name !== undefined ? o.refs?.(name) : undefined
  if (named) return named
  let s = input
  if (s.$ref) {
    if (stack.filter((r) => r === s.$ref).length > (o.recursion ?? 1)) throw new TooDeep()
    stack = [...stack, s.$ref]
    s = { ...resolve(o.root, s.$ref), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) }
  }
  if (s.allOf) {
    // Merged into one schema (ours use allOf for composition and for if/then rules).
    const parts = s.allOf.map((p: Schema) => (p.$ref ? resolve(o.root, p.$ref) : p))
    const { allOf: _drop, ...rest } = s
    s = mergeAllOf(parts, rest)
  }
  const union = s.oneOf ?? s.anyOf
  if (union) {
    const parent = Object.fromEntries(Object.entries(s).filter(([k]) => !COMBINATORS.includes(k) && k !== 'properties' && k !== 'required'))
    const branches: fc.Arbitrary<unknown>[] = []
    for (const b of union as Schema[]) {
      try {
        branches.push(build(b.$ref || b.type !== undefined ? b : { ...parent, ...b }, o, stack))
      } catch (e) {
        if (!(e instanceof TooDeep)) throw e
      }
    }
    if (branches.length === 0) throw new TooDeep()
    return fc.oneof(...branches)
  }
  if (s.const !== undefined) return fc.constant(s.const)
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]))
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string']
  return fc.oneof(...types.map((t) => typed(t, s, o, stack)))
}

class TooDeep extends Error {}

function typed(type: string, s: Schema, o: ArbitraryOptions, stack: string[]): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return numberArbitrary(s, true)
    case 'number':
      return numberArbitrary(s, false)
    case 'string':
      return stringArbitrary(s)
    case 'array': {
      const minLength = s.minItems ?? 0
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 3, 3))
      let items: fc.Arbitrary<unknown>
      try {
        items = build(s.items ?? {}, o, stack)
      } catch (e) {
        if (!(e instanceof TooDeep) || minLength > 0) throw e
        return fc.constant([])
      }
      return s.uniqueItems ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(items, { minLength, maxLength })
    }
    case 'object': {
      const required = new Set<string>(s.required ?? [])
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [key, sub] of Object.entries<Schema>(s.properties ?? {})) {
        try {
          model[key] = build(sub, o, stack, key)
        } catch (e) {
          if (!(e instanceof TooDeep) || required.has(key)) throw e
        }
      }
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) })
    }
    default:
      throw new Error(`no arbitrary for type ${type}`)
  }
}
