/**
 * One contact: enrolled in each course its tags ask for, with a note, the course's
 * live session, and the tags `course-enrolled` and `enrolled:<course>`. Idempotent: the
 * platform is keyed by contact id, notes are written once (notes.ts), the session task
 * is looked up first, tags are a set and the per-course one is written last (a run that
 * died before it is finished by the next).
 */
import type { GhlClient } from 'ghl-contacts-mock/client'
import { coursesTagged, enrolledCourseTag, hasTag, type CourseEnrolmentConfig } from './config.ts'
import type { CoursePlatform } from './course-platform.ts'
import { noteOnce } from './notes.ts'
import type { SessionScheduler } from './sessions.ts'

/** The fields of a contact enrolment reads: in `contacts.get` answers (webhooks) and search results (backfill) alike. */
export interface ContactChange {
  id: string
  firstName?: string | null
  lastName?: string | null
  email?: string | null
  tags?: string[]
}

export interface EnrolDeps {
  ghl: GhlClient
  platform: CoursePlatform
  sessions: SessionScheduler
  config: CourseEnrolmentConfig
}

export const enrolmentNote = (courseName: string) => `Enrolled in ${courseName}`

export function learnerName(c: ContactChange): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.id
}

/** Returns the courses this call enrolled the contact in (none when all were done before). */
export async function enrolContact({ ghl, platform, sessions, config }: EnrolDeps, contact: ContactChange): Promise<string[]> {
  const courseIds = coursesTagged(
    contact.tags,
    config.coursePrefix,
    platform.courses.map((c) => c.id),
  )
  const enrolled: string[] = []
  for (const courseId of courseIds) {
    const course = platform.course(courseId)
    platform.enrol({ externalId: contact.id, courseId, learner: learnerName(contact), ...(contact.email && { email: contact.email }) })
    // Tagged enrolled: an earlier run finished this course's HighLevel side.
    if (hasTag(contact.tags, enrolledCourseTag(courseId))) continue
    await noteOnce(ghl, contact.id, enrolmentNote(course.name))
    if (course.liveSession) await sessions.schedule(contact.id, { courseId, courseName: course.name, ...course.liveSession })
    await ghl.tags.add(contact.id, { tags: [config.enrolledTag, enrolledCourseTag(courseId)] })
    enrolled.push(courseId)
  }
  return enrolled
}
