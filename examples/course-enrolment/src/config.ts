/** What an installation configures: the tag naming a course, and the tags written back. */
export interface CourseEnrolmentConfig {
  locationId: string
  /** A contact tagged `<coursePrefix><courseId>` is enrolled in that course. */
  coursePrefix: string
  enrolledTag: string
  completedTag: string
}

export const defaultConfig = {
  coursePrefix: 'course:',
  enrolledTag: 'course-enrolled',
  completedTag: 'course-completed',
} as const satisfies Partial<CourseEnrolmentConfig>

/**
 * Per-course tags beside the generic ones (a contact may take several courses). The
 * enrolled one is written last, so it also marks the course's HighLevel side as done.
 */
export const enrolledCourseTag = (courseId: string) => `enrolled:${courseId}`
export const completedCourseTag = (courseId: string) => `completed:${courseId}`

export function hasTag(tags: readonly string[] | undefined, tag: string): boolean {
  return (tags ?? []).some((t) => t.toLowerCase() === tag.toLowerCase())
}

/** The courses a contact's tags ask for (tags compare in any case, as HighLevel's do). */
export function coursesTagged(tags: readonly string[] | undefined, prefix: string, courseIds: readonly string[]): string[] {
  const wanted = new Set((tags ?? []).map((t) => t.toLowerCase()))
  return courseIds.filter((id) => wanted.has(`${prefix}${id}`.toLowerCase()))
}
