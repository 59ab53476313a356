/** GET /__mock/limits and PUT /__mock/limits/{appId}: see and change rate limits at run time. */
import { GHL_LIMITS, type RateLimitSetting } from '../limits/policy.ts'
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
