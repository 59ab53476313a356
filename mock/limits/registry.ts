/** The limits in force: the default for every app, per-app overrides, and the counters. */
import { createMemoryCounters, type RateCounters } from './counters.ts'
import type { RateLimit, RateLimitSetting } from './policy.ts'

export interface LimitRegistry {
  counters: RateCounters
  defaults: RateLimitSetting
  overrides: Map<string, RateLimitSetting>
  /** The limit enforced for an app, or undefined when limits are off for it (never refused). */
  forApp(appId: string): RateLimit | undefined
}

export function createLimitRegistry(defaults: RateLimitSetting, counters: RateCounters = createMemoryCounters()): LimitRegistry {
  const registry: LimitRegistry = {
    counters,
    defaults,
    overrides: new Map(),
    forApp(appId) {
      const setting = registry.overrides.has(appId) ? registry.overrides.get(appId)! : registry.defaults
      return setting || undefined
    },
  }
  return registry
}
