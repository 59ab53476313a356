/** The connector as an installation runs it: OAuth install, the client, the course platform, the triggers. */
import type { ConnectorContext } from 'ghl-contacts-mock/harness'
import {
  connectGhl,
  createCourseEnrolment,
  createCoursePlatform,
  defaultConfig,
  pollingTriggers,
  sessionTasks,
  type Course,
  type CourseEnrolmentConfig,
  type SessionScheduler,
} from '../src/index.ts'
import type { GhlClient } from 'ghl-contacts-mock/client'
import { install, mockApp } from './install.ts'

export const COURSES: Course[] = [
  { id: 'safety-101', name: 'Safety 101', lessons: 3, liveSession: { title: 'Safety 101 live Q&A', startsAt: '2026-02-02T16:00:00.000Z' } },
  { id: 'first-aid', name: 'First aid', lessons: 2 },
]

export async function startEnrolment(ctx: ConnectorContext, options: { sessions?: (ghl: GhlClient) => SessionScheduler; courses?: Course[] } = {}) {
  const app = mockApp(ctx)
  const { tokens, locationId } = await install(ctx, app)
  const ghl = connectGhl({ baseUrl: ctx.baseUrl, clientId: app.clientId, clientSecret: app.clientSecret, tokens, now: ctx.now, sleep: ctx.sleep })
  const platform = createCoursePlatform({ courses: options.courses ?? COURSES, now: ctx.now })
  const config: CourseEnrolmentConfig = { ...defaultConfig, locationId }
  const triggers = pollingTriggers(ghl, { locationId, tags: platform.courses.map((c) => `${config.coursePrefix}${c.id}`), since: ctx.now() })
  const sessions = (options.sessions ?? sessionTasks)(ghl)
  return { ghl, locationId, platform, config, enrolment: createCourseEnrolment({ ghl, platform, config, triggers, sessions }) }
}
