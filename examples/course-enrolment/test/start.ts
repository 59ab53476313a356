/** The connector as an installation runs it: OAuth install, the client, the course platform, the webhook receiver. */
import { authorize, type ConnectorContext } from 'ghl-contacts-mock/harness'
import { createOAuthClient, exchangeAuthorizationCode, type GhlClient } from 'ghl-contacts-mock/client'
import {
  createCourseEnrolment,
  createCoursePlatform,
  defaultConfig,
  sessionTasks,
  type Course,
  type CourseEnrolmentConfig,
  type SessionScheduler,
} from '../src/index.ts'

export const COURSES: Course[] = [
  { id: 'safety-101', name: 'Safety 101', lessons: 3, liveSession: { title: 'Safety 101 live Q&A', startsAt: '2026-02-02T16:00:00.000Z' } },
  { id: 'first-aid', name: 'First aid', lessons: 2 },
]

/** The webhookIds the running connector handled (the harness's handled-once check). */
export const handled = () => handledIds
let handledIds: string[] = []

export interface StartOptions {
  sessions?: (ghl: GhlClient) => SessionScheduler
  courses?: Course[]
  /** Mount the receiver on the harness's (default true; needs the harness's `webhook` option). */
  webhooks?: boolean
}

export async function startEnrolment(ctx: ConnectorContext, options: StartOptions = {}) {
  // The install: the user consents (the harness plays the browser), the app's callback exchanges the code.
  const { code, redirectUri, ...app } = await authorize(ctx)
  const api = { baseUrl: ctx.baseUrl, now: ctx.now }
  const { tokens, locationId } = await exchangeAuthorizationCode({ ...api, ...app, redirectUri, code })
  if (!locationId) throw new Error('the install is not bound to a location')
  const ghl = createOAuthClient({ ...api, ...app, tokens, sleep: ctx.sleep, timeoutMs: 10_000 })
  const platform = createCoursePlatform({ courses: options.courses ?? COURSES, now: ctx.now })
  const config: CourseEnrolmentConfig = { ...defaultConfig, locationId }
  const sessions = (options.sessions ?? sessionTasks)(ghl)
  // The key a deployment reads from WEBHOOK_SIGNATURE_PUBLIC_KEY: here the mock's.
  const { ed25519: publicKey } = (await (await fetch(`${ctx.baseUrl}/__mock/webhooks/public-key`)).json()) as { ed25519: string }
  handledIds = []
  const enrolment = createCourseEnrolment({
    ghl,
    platform,
    config,
    sessions,
    webhooks: { publicKey, now: ctx.now, onHandled: (id) => handledIds.push(id) },
    backfillPageLimit: 3,
  })
  if (options.webhooks !== false) {
    ctx.webhooks.receive(enrolment.webhooks.node)
  }
  return { ghl, locationId, platform, config, enrolment }
}
