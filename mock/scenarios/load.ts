/**
 * Scenario files: a failure case written down once (JSON or YAML) and replayed exactly by
 * a fresh mock. Built-ins live in the top-level scenarios/ folder. A misconfigured file is
 * refused with a message naming the file and the problem, before the server listens.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, extname } from 'node:path'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { packageFile } from '../../openapi/package-files.ts'
import { createClock, outOfRange } from '../clock.ts'
import { checkRule, type FaultRuleInput } from '../faults/rules.ts'
import { parseRateLimit, type RateLimitSetting } from '../limits/policy.ts'
import type { MockOptions } from '../options.ts'

export interface Scenario {
  name?: string
  description?: string
  seed?: number | string
  clock?: { start?: string; frozen?: boolean }
  rateLimit?: string | { burst: number; windowMs: number; daily: number }
  retryAfter?: boolean
  faults?: FaultRuleInput[]
  auth?: { accessTokenTtlSeconds?: number }
}

export const builtinDir = `${packageFile('scenarios')}/`

const action = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'integer' },
    latency: { type: 'integer' },
    reset: { type: 'boolean' },
    timeout: { type: 'boolean' },
    malformed: { type: 'boolean' },
    duplicate: { type: 'boolean' },
    reorder: { type: 'boolean' },
    delay: { type: 'integer' },
    drop: { type: 'boolean' },
    badSignature: { type: 'boolean' },
  },
}
const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    seed: { type: ['integer', 'string'] },
    clock: { type: 'object', additionalProperties: false, properties: { start: { type: 'string', format: 'date-time' }, frozen: { type: 'boolean' } } },
    rateLimit: {
      anyOf: [
        { type: 'string' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['burst', 'windowMs', 'daily'],
          properties: { burst: { type: 'integer', minimum: 1 }, windowMs: { type: 'integer', minimum: 1 }, daily: { type: 'integer', minimum: 1 } },
        },
      ],
    },
    retryAfter: { type: 'boolean' },
    faults: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['action'],
        properties: {
          id: { type: 'string' },
          match: {
            type: 'object',
            additionalProperties: false,
            properties: {
              method: { type: 'string' },
              path: { type: 'string' },
              operationId: { type: 'string' },
              locationId: { type: 'string' },
              app: { type: 'string' },
              webhook: { type: 'boolean' },
              event: { type: 'string' },
            },
          },
          action,
          times: { type: 'integer' },
          after: { type: 'integer' },
          probability: { type: 'number' },
        },
      },
    },
    auth: { type: 'object', additionalProperties: false, properties: { accessTokenTtlSeconds: { type: 'integer', minimum: 1 } } },
  },
}
// Compiled on first use: most starts name no scenario, and compiling cost ~0.1 s of every import.
let compiled: ValidateFunction | undefined
const validator = (): ValidateFunction => (compiled ??= new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema))

export function builtinScenarios(): Array<{ name: string; description: string }> {
  return readdirSync(builtinDir)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .map((f) => {
      const s = readScenario(`${builtinDir}${f}`)
      return { name: s.name ?? basename(f, extname(f)), description: s.description ?? '' }
    })
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Checks a scenario object; throws with every problem (the schema's and the rules'),
 * prefixed by `where`. With `operationIds` (the spec's), a rule naming another is a problem.
 */
export function checkScenario(data: unknown, where: string, operationIds?: readonly string[]): Scenario {
  const validate = validator()
  const problems = validate(data)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath || '(top)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` "${e.params.additionalProperty}"` : ''}`,
      )
  if (!isObject(data)) throw new Error(`scenario ${where}: ${problems.join('; ')}`)
  const s = data as Scenario
  // Rules and values the schema let through may still be wrong; check them too, so one run shows everything.
  if (Array.isArray(s.faults))
    for (const [i, rule] of s.faults.entries()) if (isObject(rule)) problems.push(...checkRule(rule, operationIds).map((p) => `faults[${i}]: ${p}`))
  if (typeof s.rateLimit === 'string') {
    try {
      parseRateLimit(s.rateLimit)
    } catch (err) {
      problems.push((err as Error).message)
    }
  }
  if (isObject(s.clock) && typeof s.clock.start === 'string' && Number.isNaN(Date.parse(s.clock.start)))
    problems.push(`clock.start "${s.clock.start}" is not an ISO date`)
  else if (isObject(s.clock) && typeof s.clock.start === 'string' && outOfRange(Date.parse(s.clock.start)))
    problems.push(`clock.start: ${outOfRange(Date.parse(s.clock.start))}`)
  if (problems.length) throw new Error(`scenario ${where}: ${problems.join('; ')}`)
  return s
}

export function readScenario(file: string, operationIds?: readonly string[]): Scenario {
  let data: unknown
  try {
    // Loaded here, synchronously, rather than imported: starts that name no scenario skip it.
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml')
    data = parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`scenario ${file}: cannot be read: ${(err as Error).message}`)
  }
  return checkScenario(data, file, operationIds)
}

/** A built-in name (`flaky`) or a file path. */
export function loadScenario(nameOrFile: string, operationIds?: readonly string[]): Scenario {
  for (const ext of ['.json', '.yaml', '.yml']) {
    const builtin = `${builtinDir}${nameOrFile}${ext}`
    if (/^[\w-]+$/.test(nameOrFile) && existsSync(builtin)) return readScenario(builtin, operationIds)
  }
  if (!existsSync(nameOrFile)) {
    const names = builtinScenarios()
      .map((s) => s.name)
      .join(', ')
    throw new Error(`scenario "${nameOrFile}" is neither a built-in (${names}) nor a file`)
  }
  return readScenario(nameOrFile, operationIds)
}

export function rateLimitOf(s: Scenario): RateLimitSetting | undefined {
  if (s.rateLimit === undefined) return undefined
  return typeof s.rateLimit === 'string' ? parseRateLimit(s.rateLimit) : s.rateLimit
}

/**
 * Folds the scenarios named in `options.scenarios` into the options, in order. Every
 * scenario is read first, so one error lists the problems of all of them.
 */
export function applyScenarios(options: Partial<MockOptions>, operationIds?: readonly string[]): Partial<MockOptions> {
  const errors: string[] = []
  const scenarios = (options.scenarios ?? []).flatMap((name) => {
    try {
      return [loadScenario(name, operationIds)]
    } catch (err) {
      errors.push((err as Error).message)
      return []
    }
  })
  if (errors.length) throw new Error(errors.join('\n'))
  let out = { ...options }
  for (const s of scenarios) {
    out = {
      ...out,
      ...(s.seed !== undefined && { seed: s.seed }),
      ...(s.rateLimit !== undefined && { rateLimit: rateLimitOf(s) }),
      ...(s.retryAfter !== undefined && { retryAfter: s.retryAfter }),
      ...(s.auth?.accessTokenTtlSeconds !== undefined && { accessTokenTtlSeconds: s.auth.accessTokenTtlSeconds }),
      ...(s.clock && !options.clock && { clock: createClock({ start: s.clock.start ? Date.parse(s.clock.start) : undefined, frozen: s.clock.frozen }) }),
      faults: [...(out.faults ?? []), ...(s.faults ?? [])],
    }
  }
  return out
}
