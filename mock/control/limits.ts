/** GET /__mock/limits and PUT /__mock/limits/{appId}: see and change rate limits at run time. */
import { GHL_LIMITS, limitKeys, type RateLimitSetting } from '../limits/policy.ts'
import type { WindowState } from '../limits/counters.ts'
import { defineHandlers } from '../handler.ts'

const view = (s: RateLimitSetting) => (s ? { ...s, off: false } : { off: true })

export const limitsControlHandlers = defineHandlers({
  listLimits: (_input, state) => ({
    status: 200,
    body: {
      defaults: view(state.limits.defaults),
      apps: Object.fromEntries([...state.limits.overrides].map(([app, s]) => [app, view(s)])),
    },
  }),

  /** Budgets of every app and resource that holds a live token, keyed as the rate limiter keys them. */
  async listLimitUsage(_input, state) {
    const now = state.clock.now()
    const pairs = new Map<string, { app: string; resource: string }>()
    for (const t of state.tokens.list()) {
      if (t.revoked) continue
      const resource = t.locationId ?? t.companyId
      pairs.set(`${t.appId}|${resource}`, { app: t.appId, resource })
    }
    const budget = (limit: number, w: WindowState | undefined) => ({
      limit,
      used: w?.count ?? 0,
      remaining: Math.max(0, limit - (w?.count ?? 0)),
      resetAt: w ? new Date(w.resetAt).toISOString() : null,
    })
    const usage = await Promise.all(
      [...pairs.values()].map(async (p) => {
        const enforced = state.limits.forApp(p.app)
        const limit = enforced ?? GHL_LIMITS
        const keys = limitKeys(p.app, p.resource)
        const [burst, day] = await Promise.all([state.limits.counters.peek(keys.burst, now), state.limits.counters.peek(keys.day, now)])
        return { ...p, enforced: enforced !== undefined, burst: budget(limit.burst, burst), daily: budget(limit.daily, day) }
      }),
    )
    return { status: 200, body: { usage } }
  },

  async setAppLimit({ params, body }, state) {
    const setting: RateLimitSetting = body.off
      ? false
      : { burst: body.burst ?? GHL_LIMITS.burst, windowMs: body.windowMs ?? GHL_LIMITS.windowMs, daily: body.daily ?? GHL_LIMITS.daily }
    if (params.appId === '*') state.limits.defaults = setting
    else state.limits.overrides.set(params.appId, setting)
    // A new limit starts with a fresh budget, so QA sees exactly what it configured.
    await state.limits.counters.reset()
    return { status: 200, body: { appId: params.appId, ...view(setting) } }
  },
})
