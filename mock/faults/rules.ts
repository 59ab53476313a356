/**
 * Fault rules: match requests (method, path pattern, operationId, location, app) and
 * inject a fault into the next N of them, after N successes, or with a probability
 * drawn from the seeded RNG, so the same seed fails the same requests every run.
 */
import { createRng, type Rng } from '../rng.ts'
import { checkAction, REQUEST_ACTIONS, WEBHOOK_ACTIONS, type FaultAction } from './action.ts'

export interface FaultMatch {
  method?: string
  /** A path with `*` wildcards (`/contacts/*`) or a spec template (`/contacts/{contactId}`). */
  path?: string
  operationId?: string
  locationId?: string
  app?: string
  /** A webhook rule: it acts on deliveries, never on requests. */
  webhook?: boolean
  /** A webhook rule for this event type only (implies webhook). */
  event?: string
}

export interface FaultRuleInput {
  id?: string
  match?: FaultMatch
  action: FaultAction
  /** Fault the next N matching requests, then stop. */
  times?: number
  /** Let N matching requests through, then fault every one after. */
  after?: number
  /** Fault each matching request with this probability (0..1), from the seeded RNG. */
  probability?: number
}

export interface FaultRule extends FaultRuleInput {
  id: string
  match: FaultMatch
  /** Matching requests seen so far. */
  seen: number
  /** Faults injected so far. */
  fired: number
}

export interface RequestFacts {
  method: string
  path: string
  operationId?: string
  locationId?: string
  app?: string
  /** A webhook delivery, not a request. */
  webhook?: boolean
  event?: string
}

export interface FaultRules {
  add(input: FaultRuleInput): FaultRule
  list(): FaultRule[]
  remove(id: string): boolean
  clear(): void
  /** No rules, ids from rule-1 again, and the probability RNG back at the seed's start. */
  reset(seed: number | string): void
  /** Replace every rule with these, counters included (a loaded state file; already checked). */
  restore(rules: FaultRule[]): void
  /** The first rule that fires for this webhook delivery or request (its counters move), if any. */
  pick(req: RequestFacts): FaultRule | undefined
  /**
   * The rule that fires for an API request: pick() in memory; with a shared store
   * (mock/redis/fault-rules.ts), decided on counters every instance moves together: a
   * promise then, but only once a rule matched (undefined at once when none does).
   */
  decide(req: RequestFacts): FaultRule | undefined | Promise<FaultRule | undefined>
  /** list(), with the counters API requests moved on every instance (list() has this instance's). */
  read(): Promise<FaultRule[]>
}

/** Thrown by add(): every problem of the rule, one message each. */
export class FaultRuleError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
  }
}

/** Edit distance, for "did you mean" on a mistyped operationId. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length]
}

function unknownOperation(id: string, operationIds: readonly string[]): string {
  const near = operationIds.filter((op) => distance(op, id) <= 3).slice(0, 3)
  return `match.operationId "${id}" is not an operation of the spec, so the rule would never match${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`
}

/**
 * Every problem of a rule. With `operationIds` (the spec's), a rule naming another
 * operationId is a problem too: it would be accepted and silently never fire.
 */
export function checkRule(input: FaultRuleInput, operationIds?: readonly string[]): string[] {
  const problems = checkAction(input.action ?? {})
  const action = (input.action ?? {}) as Record<string, unknown>
  const forWebhooks = isWebhookMatch(input.match ?? {})
  const wrong = (forWebhooks ? REQUEST_ACTIONS : WEBHOOK_ACTIONS).filter((k) => action[k] !== undefined)
  if (wrong.length)
    problems.push(
      forWebhooks
        ? `a webhook rule takes duplicate, reorder, delay, drop or badSignature, not ${wrong.join(', ')}`
        : `${wrong.join(', ')} act on webhooks: add "webhook": true (or an "event") to match`,
    )
  const modes = ['times', 'after', 'probability'].filter((k) => (input as any)[k] !== undefined)
  if (modes.length > 1) problems.push(`use one of times, after, probability (got ${modes.join(', ')})`)
  if (input.times !== undefined && (!Number.isInteger(input.times) || input.times < 1)) problems.push('times must be a whole number ≥ 1')
  if (input.after !== undefined && (!Number.isInteger(input.after) || input.after < 0)) problems.push('after must be a whole number ≥ 0')
  if (input.probability !== undefined && !(input.probability >= 0 && input.probability <= 1)) problems.push('probability must be between 0 and 1')
  const operationId = input.match?.operationId
  if (operationIds && operationId !== undefined && !operationIds.includes(operationId)) problems.push(unknownOperation(operationId, operationIds))
  return problems
}

/** Whether a rule acts on webhook deliveries rather than API requests. */
export const isWebhookMatch = (m: FaultMatch) => Boolean(m.webhook || m.event)

function pathMatcher(pattern: string): RegExp {
  const re = pattern
    .split(/(\*|\{[^}]+\})/)
    .map((part) => (part === '*' ? '.*' : part.startsWith('{') ? '[^/]+' : part.replace(/[.+?^$()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${re}$`)
}

/** Whether a rule's match takes a request or delivery; path patterns compiled once per matcher. */
export function createMatcher(): (m: FaultMatch, r: RequestFacts) => boolean {
  const matchers = new Map<string, RegExp>()
  return (m, r) => {
    if (m.path && !matchers.has(m.path)) matchers.set(m.path, pathMatcher(m.path))
    return (
      isWebhookMatch(m) === Boolean(r.webhook) &&
      (!m.event || m.event === r.event) &&
      (!m.method || m.method.toUpperCase() === r.method) &&
      (!m.path || matchers.get(m.path)!.test(r.path)) &&
      (!m.operationId || m.operationId === r.operationId) &&
      (!m.locationId || m.locationId === r.locationId) &&
      (!m.app || m.app === r.app)
    )
  }
}

/** The seeded sequence probability rules draw from. */
export const faultSeed = (seed: number | string) => `${seed}:faults`

/** `operationIds`: the spec's, so a rule can only name an operation that exists. */
export function createFaultRules(seed: number | string, operationIds?: readonly string[]): FaultRules {
  let rules: FaultRule[] = []
  let nextId = 1
  let rng: Rng = createRng(faultSeed(seed))
  const matches = createMatcher()
  const list = () => rules.map((r) => ({ ...r }))
  const self: FaultRules = {
    add(input) {
      const problems = checkRule(input, operationIds)
      if (problems.length) throw new FaultRuleError(problems)
      const rule: FaultRule = { ...structuredClone(input), id: input.id ?? `rule-${nextId++}`, match: input.match ?? {}, seen: 0, fired: 0 }
      rules = [...rules.filter((r) => r.id !== rule.id), rule]
      return { ...rule }
    },
    list,
    read: async () => list(),
    remove(id) {
      const before = rules.length
      rules = rules.filter((r) => r.id !== id)
      return rules.length < before
    },
    clear() {
      rules = []
    },
    reset(newSeed) {
      rules = []
      nextId = 1
      rng = createRng(faultSeed(newSeed))
    },
    restore(list) {
      rules = list.map((r) => structuredClone(r))
      const numbered = rules
        .map((r) => /^rule-(\d+)$/.exec(r.id))
        .filter(Boolean)
        .map((m) => Number(m![1]))
      nextId = Math.max(nextId, ...numbered.map((n) => n + 1))
    },
    pick(req) {
      for (const rule of rules) {
        if (!matches(rule.match, req)) continue
        rule.seen++
        const fire =
          rule.times !== undefined
            ? rule.fired < rule.times
            : rule.after !== undefined
              ? rule.seen > rule.after
              : rule.probability !== undefined
                ? rng.next() < rule.probability
                : true
        if (fire) {
          rule.fired++
          return { ...rule }
        }
      }
      return undefined
    },
    decide: (req) => self.pick(req),
  }
  return self
}
