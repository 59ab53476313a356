/**
 * Turns Ajv errors into the messages HighLevel's API (NestJS + class-validator) sends in
 * a 422 body, e.g. `property foo should not exist`, `email must be an email`.
 */
import type { ErrorObject } from 'ajv'

const TYPE_WORDS: Record<string, string> = {
  string: 'must be a string',
  number: 'must be a number conforming to the specified constraints',
  integer: 'must be an integer number',
  boolean: 'must be a boolean value',
  array: 'must be an array',
  object: 'must be an object',
  null: 'must be null',
}

const FORMAT_WORDS: Record<string, string> = {
  email: 'must be an email',
  uri: 'must be a URL address',
  url: 'must be a URL address',
  'date-time': 'must be a valid ISO 8601 date string',
  date: 'must be a valid ISO 8601 date string',
}

/** `/filters/0/operator` → `filters.0.operator`; `prefix` names the query/param root. */
function propertyPath(instancePath: string, prefix = ''): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  return [prefix, ...parts].filter(Boolean).join('.')
}

function join(path: string, child: string) {
  return path ? `${path}.${child}` : child
}

function message(e: ErrorObject, prefix: string): string | undefined {
  const path = propertyPath(e.instancePath, prefix)
  const p = e.params as Record<string, any>
  // A schema may name the API's wording for a failed pattern (a long regex says little).
  const wording = (e.parentSchema as Record<string, unknown> | undefined)?.['x-message']
  if (e.keyword === 'pattern' && typeof wording === 'string') return `${path} ${wording}`
  switch (e.keyword) {
    case 'required':
      return `${join(path, p.missingProperty)} should not be empty`
    case 'additionalProperties':
      return `property ${join(path, p.additionalProperty)} should not exist`
    case 'type': {
      const types: string[] = Array.isArray(p.type) ? p.type : String(p.type).split(',')
      const t = types.find((x) => x !== 'null') ?? types[0]
      return `${path} ${TYPE_WORDS[t] ?? `must be ${t}`}`
    }
    case 'enum':
      return `${path} must be one of the following values: ${(p.allowedValues as unknown[]).join(', ')}`
    case 'const':
      return `${path} must be equal to ${JSON.stringify(p.allowedValue)}`
    case 'format':
      return `${path} ${FORMAT_WORDS[p.format] ?? `must be a valid ${p.format}`}`
    case 'maxLength':
      return `${path} must be shorter than or equal to ${p.limit} characters`
    case 'minLength':
      return p.limit === 1 ? `${path} should not be empty` : `${path} must be longer than or equal to ${p.limit} characters`
    case 'maximum':
      return `${path} must not be greater than ${p.limit}`
    case 'minimum':
      return `${path} must not be less than ${p.limit}`
    case 'exclusiveMaximum':
      return `${path} must be less than ${p.limit}`
    case 'exclusiveMinimum':
      return `${path} must be greater than ${p.limit}`
    case 'maxItems':
      return `${path} must contain no more than ${p.limit} elements`
    case 'minItems':
      return `${path} must contain at least ${p.limit} elements`
    case 'uniqueItems':
      return `All ${path}'s elements must be unique`
    case 'pattern':
      return `${path} must match ${p.pattern} regular expression`
    case 'anyOf':
    case 'oneOf':
      return `${path} has an invalid value`
    case 'minProperties':
      return p.limit === 1 ? `${path} should not be empty` : `${path} must have at least ${p.limit} properties`
    case 'not':
      // A refusal speaks with its own status (refusalOf); any other `not` is a plain 422.
      return (e.schema as Record<string, unknown> | undefined)?.['x-refusal'] ? undefined : `${path || 'body'} has an invalid combination of values`
    case 'if':
    case 'then':
    case 'else':
    // A tag outside the mapping also fails the tag's own enum (or required), which says it better.
    case 'discriminator':
      return undefined
    default:
      return `${path} ${e.message ?? 'is invalid'}`
  }
}

const depth = (e: ErrorObject) => (e.instancePath === '' ? 0 : e.instancePath.split('/').length - 1)
const within = (path: string, root: string) => path === root || path.startsWith(`${root}/`)

/**
 * Validates `data` against the schema a branch's `$ref` names (resolved in the document
 * being validated) and returns the errors, their paths relative to `data`.
 */
export type BranchCheck = (ref: string, data: unknown) => ErrorObject[]

/**
 * For a failed anyOf/oneOf, Ajv reports every branch. A person wants the branch that came
 * closest: the one whose errors sit deepest in the data, then one that got past `type`
 * (the value had the branch's shape), then the one with fewest errors.
 *
 * A union's branch errors are the run just before it, inside its part of the data (Ajv
 * reports them in evaluation order), told apart by schema path. A `$ref` branch that Ajv
 * compiled on its own (recursive schemas) reports paths from the referenced schema, so
 * those branches are checked again one by one (`check`, which needs a verbose validator:
 * the union error then carries its branches and data). Without `check`, only the deepest
 * errors that got past `type` can be told to be the closest.
 */
function pickBranches(errors: ErrorObject[], check?: BranchCheck): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
  if (unions.length === 0) return errors
  // Innermost union first, so nested unions are narrowed before their parents.
  unions.sort((a, b) => depth(b) - depth(a) || b.schemaPath.length - a.schemaPath.length)
  let list = [...errors]
  for (const union of unions) {
    const at = list.indexOf(union)
    if (at < 0) continue
    let start = at
    while (start > 0 && within(list[start - 1].instancePath, union.instancePath)) start--
    const own = list.slice(start, at)
    if (own.length === 0) continue
    const base = `${union.schemaPath.slice(0, -union.keyword.length - 1)}/${union.keyword}/`
    const branchSchemas = Array.isArray(union.schema) ? (union.schema as Array<Record<string, unknown>>) : undefined
    const branches = new Map<string, ErrorObject[]>()
    if (own.every((e) => e.schemaPath.startsWith(base))) {
      for (const e of own) {
        const idx = e.schemaPath.slice(base.length).split('/')[0]
        branches.set(idx, [...(branches.get(idx) ?? []), e])
      }
    } else if (check && branchSchemas) {
      branchSchemas.forEach((b, i) => {
        const errs =
          typeof b.$ref === 'string'
            ? check(b.$ref, union.data).map((e) => ({ ...e, instancePath: union.instancePath + e.instancePath }))
            : own.filter((e) => e.schemaPath.startsWith(`${base}${i}/`))
        branches.set(String(i), pickBranches(errs, check))
      })
    } else {
      // Deepest first; among those, a `type` failure means that branch was not meant.
      const deepest = Math.max(...own.map(depth))
      const deep = own.filter((e) => depth(e) === deepest)
      const meant = deep.some((e) => e.keyword !== 'type') ? deep.filter((e) => e.keyword !== 'type') : deep
      branches.set('meant', meant)
      branches.set(
        'rest',
        own.filter((e) => !meant.includes(e)),
      )
    }
    const score = (l: ErrorObject[]) => (l.length ? Math.max(...l.map(depth)) : -1)
    const shaped = (l: ErrorObject[]) => (l.some((e) => e.keyword !== 'type') ? 1 : 0)
    const best = [...branches.values()].sort((a, b) => score(b) - score(a) || shaped(b) - shaped(a) || a.length - b.length)[0]
    // A branch that failed only on `type` at the union's own level says nothing useful.
    const informative = best.length > 0 && (score(best) > depth(union) || shaped(best) === 1)
    list = [...list.slice(0, start), ...(informative ? best : [union]), ...list.slice(at + 1)]
  }
  return list
}

export function toMessages(errors: ErrorObject[] | null | undefined, prefix = '', check?: BranchCheck): string[] {
  const out: string[] = []
  for (const e of pickBranches(errors ?? [], check)) {
    const m = message(e, prefix)
    if (m && !out.includes(m)) out.push(m)
  }
  return out
}

export interface Refusal {
  status: number
  message: string
}

/**
 * The first failed `not` whose schema carries `x-refusal: {status, message}`: a rule the
 * live API enforces past its validation pipe, with its own status and wording (the
 * errors must come from a validator built with `verbose`, which keeps each error's schema).
 */
export function refusalOf(errors: ErrorObject[] | null | undefined): Refusal | undefined {
  for (const e of errors ?? []) {
    if (e.keyword !== 'not') continue
    const r = (e.schema as Record<string, unknown> | undefined)?.['x-refusal'] as Partial<Refusal> | undefined
    if (r && typeof r.status === 'number' && typeof r.message === 'string') return { status: r.status, message: r.message }
  }
  return undefined
}
