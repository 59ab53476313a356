/**
 * createMockApp: the whole request pipeline, in the order a request meets it.
 *
 *   journal → body limit → strict-mode contract check → (per operation:) bind operation →
 *   fault injection → self-check →
 *   body parsing → Version header → auth (token → scope → location) →
 *   rate limit (X-RateLimit-* headers, 429) → request validation → handler
 *
 * Every route comes from the spec index: an operation's handler is found by operationId.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { loadSpec, type Operation } from '../openapi/load.ts'
import { HttpError, refuse } from './errors.ts'
import type { MockEnv } from './env.ts'
import { resolveOptions, type MockOptions } from './options.ts'
import { createMockState, type MockState } from './state.ts'
import { applyScenarios } from './scenarios/load.ts'
import { journal } from './pipeline/journal.ts'
import { closeOnUnreadBody } from './pipeline/unread-body.ts'
import { controlGuard } from './pipeline/control-guard.ts'
import { parseBody } from './pipeline/body.ts'
import { versionHeader } from './pipeline/version.ts'
import { authenticate } from './pipeline/auth.ts'
import { validateRequest } from './pipeline/validate.ts'
import { rateLimit } from './pipeline/rate-limit.ts'
import { injectFaults } from './pipeline/faults.ts'
import { selfCheck } from './pipeline/self-check.ts'
import { contractCheck } from './pipeline/contract.ts'
import { handlers } from './handlers.ts'
import type { Handler } from './handler.ts'
import { createWebApp } from './web/routes.ts'

export type MockApp = Hono<MockEnv> & { state: MockState }

/** Operations in the spec that have no handler (a test keeps this empty). */
export function missingHandlers(state: Pick<MockState, 'spec'>): string[] {
  return state.spec.operations.filter((op) => !handlers[op.operationId]).map((op) => op.operationId)
}

function run(handler: Handler, state: MockState, op: Operation) {
  // With a shared store, writes go through the namespace's log (mock/replication/log.ts).
  const logged = state.replication?.writes(op) ? state.replication : undefined
  return async (c: import('hono').Context<MockEnv>) => {
    const input = { ...c.get('input'), auth: c.get('auth'), url: c.req.url, headers: c.req.raw.headers }
    const result = logged ? await logged.submit(op.operationId, input) : await handler(input, state)
    if (result instanceof Response) return result
    if (result.body === undefined) return c.body(null, result.status as ContentfulStatusCode, result.headers)
    return c.json(result.body, result.status as ContentfulStatusCode, result.headers)
  }
}

export async function createMockApp(options: Partial<MockOptions> | MockState = {}): Promise<MockApp> {
  const state =
    'spec' in options
      ? (options as MockState)
      : await createMockState(
          resolveOptions(
            applyScenarios(
              options as Partial<MockOptions>,
              loadSpec().operations.map((op) => op.operationId),
            ),
          ),
        )
  const missing = missingHandlers(state)
  if (missing.length > 0) throw new Error(`operations without a handler: ${missing.join(', ')}`)

  const app = new Hono<MockEnv>()

  app.use('*', closeOnUnreadBody())
  app.use('*', journal(state))
  app.use('/__mock/*', controlGuard(state))
  if (state.replication) app.use('*', state.replication.catchUp)
  app.use(
    '*',
    bodyLimit({
      maxSize: state.options.bodyLimitBytes,
      onError: () => {
        throw refuse('body-too-large', state.options.bodyLimitBytes)
      },
    }),
  )
  app.use('*', contractCheck(state))

  for (const op of state.spec.operations) {
    app.on(
      op.method.toUpperCase(),
      op.routePath,
      async (c, next) => {
        c.set('op', op)
        return next()
      },
      injectFaults(state),
      ...(state.options.selfCheck ? [selfCheck(state)] : []),
      parseBody(),
      versionHeader(),
      authenticate(state),
      rateLimit(state),
      validateRequest(state),
      run(handlers[op.operationId], state, op),
    )
  }

  // Pages for people (/docs, /openapi/*, /__mock/ui): not API operations, so after them.
  app.route('/', createWebApp(state))

  app.notFound((c) => c.json(refuse('unknown-route', c.req.method, c.req.path).body, 404))

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json(err.body, err.status as ContentfulStatusCode, err.headers)
    // The client went away while we read its body: nobody will read the answer, and it is no mock bug.
    if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') {
      const aborted = refuse('body-aborted')
      return c.json(aborted.body, aborted.status as ContentfulStatusCode)
    }
    // A crash is a bug in the mock; still answer in the API's shape and say so.
    console.error(`[ghl-mock] ${c.req.method} ${c.req.path} crashed:`, err)
    return c.json(refuse('mock-bug').body, 500)
  })

  return Object.assign(app, { state })
}
