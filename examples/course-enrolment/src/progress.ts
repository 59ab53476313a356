/**
 * Progress flows back: each lesson finished on the platform becomes a note on the
 * contact; finishing the course adds a completion note and the tags `course-completed`
 * and `completed:<course>`. Notes are written once (notes.ts) and tags are a set, so
 * replaying the feed from an older cursor changes nothing.
 */
import type { GhlClient } from 'ghl-contacts-mock/client'
import { completedCourseTag, type CourseEnrolmentConfig } from './config.ts'
import type { CoursePlatform, ProgressEvent } from './course-platform.ts'
import { noteOnce } from './notes.ts'

export const progressNote = (courseName: string, e: Pick<ProgressEvent, 'lessonsDone' | 'lessons'>) =>
  `${courseName}: ${e.lessonsDone} of ${e.lessons} lessons done`
export const completionNote = (courseName: string) => `Completed ${courseName}`

export interface ProgressDeps {
  ghl: GhlClient
  platform: CoursePlatform
  config: CourseEnrolmentConfig
}

/** Writes the progress after `cursor`; returns the cursor to persist. */
export async function writeProgress({ ghl, platform, config }: ProgressDeps, cursor: number): Promise<number> {
  for (const event of platform.progressAfter(cursor)) {
    const course = platform.course(event.courseId)
    await noteOnce(ghl, event.externalId, progressNote(course.name, event))
    if (event.completed) {
      await noteOnce(ghl, event.externalId, completionNote(course.name))
      await ghl.tags.add(event.externalId, { tags: [config.completedTag, completedCourseTag(course.id)] })
    }
    cursor = event.seq
  }
  return cursor
}
