/**
 * course-enrolment: HighLevel contacts tagged `course:<id>` are enrolled in that course
 * on the course platform; the contact gets a note, the live session as a task and the
 * `course-enrolled` tag; progress comes back as notes, completion as the
 * `course-completed` tag.
 *
 *   const enrolment = createCourseEnrolment({ ghl, platform, config, sessions: sessionTasks(ghl), webhooks: { publicKey } })
 *   server.post('/hooks', enrolment.webhooks.node)  // ContactCreate / ContactUpdate / ContactTagUpdate
 *   await enrolment.backfill()                      // nightly: what the webhooks missed
 *   await enrolment.syncProgress()                  // after the platform reports progress
 */
import { createContactTriggers, type ContactTriggers, type ContactTriggerOptions } from 'ghl-contacts-mock/client'
import { backfill, type BackfillResult } from './backfill.ts'
import { coursesTagged } from './config.ts'
import { enrolContact, type ContactChange, type EnrolDeps } from './enrol.ts'
import { writeProgress } from './progress.ts'

export interface CourseEnrolment {
  /** The webhook receiver: mount `webhooks.node` (node:http, Express) or `webhooks.fetch` (Hono, fetch servers). */
  webhooks: ContactTriggers
  /** Course enrolments the webhooks completed on the HighLevel side so far. */
  enrolledByWebhooks(): number
  backfill(): Promise<BackfillResult>
  syncProgress(): Promise<void>
  /** The progress cursor to persist. */
  progressCursor(): number
}

export interface CourseEnrolmentOptions extends EnrolDeps {
  /** How webhooks are verified: the platform's public key (WEBHOOK_SIGNATURE_PUBLIC_KEY), a clock, a shared replay store, a hook per webhook handled. */
  webhooks: Pick<ContactTriggerOptions, 'publicKey' | 'now' | 'replay' | 'onHandled'>
  progressCursor?: number
  backfillPageLimit?: number
}

export function createCourseEnrolment(deps: CourseEnrolmentOptions): CourseEnrolment {
  let cursor = deps.progressCursor ?? 0
  let byWebhooks = 0
  // One contact at a time: a webhook arriving while the backfill enrols the same contact waits, so both never write.
  let tail: Promise<unknown> = Promise.resolve()
  const enrolOne = (contact: ContactChange): Promise<string[]> => {
    const run = tail.then(() => enrolContact(deps, contact))
    tail = run.catch(() => undefined)
    return run
  }
  const courseIds = deps.platform.courses.map((c) => c.id)
  const webhooks = createContactTriggers({
    ...deps.webhooks,
    ghl: deps.ghl,
    wants: (event) => coursesTagged(event.tags, deps.config.coursePrefix, courseIds).length > 0,
    onContact: async (contact) => void (byWebhooks += (await enrolOne(contact)).length),
  })
  return {
    webhooks,
    enrolledByWebhooks: () => byWebhooks,
    backfill: () => backfill(deps, enrolOne, deps.backfillPageLimit),
    async syncProgress() {
      cursor = await writeProgress(deps, cursor)
    },
    progressCursor: () => cursor,
  }
}

export { createCoursePlatform, type CoursePlatform, type Course, type Enrolment, type ProgressEvent } from './course-platform.ts'
export { defaultConfig, coursesTagged, enrolledCourseTag, completedCourseTag, type CourseEnrolmentConfig } from './config.ts'
export { sessionTasks, sessionTaskTitle, type SessionScheduler, type LiveSession } from './sessions.ts'
export { enrolContact, enrolmentNote, type EnrolDeps, type ContactChange } from './enrol.ts'
export type { BackfillResult } from './backfill.ts'
export { writeProgress, progressNote, completionNote } from './progress.ts'
export { noteOnce } from './notes.ts'
