/**
 * course-enrolment: HighLevel contacts tagged `course:<id>` are enrolled in that course
 * on the course platform; the contact gets a note, the live session as a task and the
 * `course-enrolled` tag; progress comes back as notes, completion as the
 * `course-completed` tag.
 *
 *   const enrolment = createCourseEnrolment({ ghl, platform, config, triggers, sessions: sessionTasks(ghl) })
 *   await enrolment.poll()          // every few minutes (or per webhook, see triggers.ts)
 *   await enrolment.syncProgress()  // after the platform reports progress
 */
import { enrolContact, type EnrolDeps } from './enrol.ts'
import { writeProgress } from './progress.ts'
import type { TriggerSource } from './triggers.ts'

export interface CourseEnrolment {
  /** Handles the changes the trigger source has; returns how many course enrolments it completed on the HighLevel side. */
  poll(): Promise<number>
  syncProgress(): Promise<void>
  /** The progress cursor to persist. */
  progressCursor(): number
}

export function createCourseEnrolment(deps: EnrolDeps & { triggers: TriggerSource; progressCursor?: number }): CourseEnrolment {
  let cursor = deps.progressCursor ?? 0
  return {
    async poll() {
      let enrolled = 0
      await deps.triggers.drain(async (change) => {
        enrolled += (await enrolContact(deps, change)).length
      })
      return enrolled
    },
    async syncProgress() {
      cursor = await writeProgress(deps, cursor)
    },
    progressCursor: () => cursor,
  }
}

export { connectGhl, type GhlConnection } from './ghl.ts'
export { exchangeCode, type Installation } from './oauth.ts'
export { createCoursePlatform, type CoursePlatform, type Course, type Enrolment, type ProgressEvent } from './course-platform.ts'
export { defaultConfig, coursesTagged, enrolledCourseTag, completedCourseTag, type CourseEnrolmentConfig } from './config.ts'
export { pollingTriggers, type TriggerSource, type ContactChange, type PollingTriggers } from './triggers.ts'
export { sessionTasks, sessionTaskTitle, type SessionScheduler, type LiveSession } from './sessions.ts'
export { enrolContact, enrolmentNote, type EnrolDeps } from './enrol.ts'
export { writeProgress, progressNote, completionNote } from './progress.ts'
export { noteOnce } from './notes.ts'
