/**
 * An in-memory stand-in for the course platform (TrainerCentral's role in this flow):
 * courses with lessons and a live session, enrolments keyed by the HighLevel contact id
 * (so enrolling twice is harmless), and a feed of progress the connector reads with a
 * cursor.
 */

export interface Course {
  id: string
  name: string
  lessons: number
  /** A live class every learner is invited to. */
  liveSession?: { title: string; startsAt: string }
}

export interface Enrolment {
  externalId: string
  courseId: string
  learner: string
  email?: string
  enrolledAt: number
  lessonsDone: number
  completedAt?: number
}

export interface ProgressEvent {
  /** Position in the feed: the connector's cursor. */
  seq: number
  externalId: string
  courseId: string
  lessonsDone: number
  lessons: number
  completed: boolean
}

export interface CoursePlatform {
  courses: readonly Course[]
  course(id: string): Course
  /** Enrols once; `created` is false when the learner was already enrolled. */
  enrol(input: { externalId: string; courseId: string; learner: string; email?: string }): { enrolment: Enrolment; created: boolean }
  enrolment(externalId: string, courseId: string): Enrolment | undefined
  enrolments(): Enrolment[]
  /** The learner finished a lesson (what the learner does on the platform). */
  finishLesson(externalId: string, courseId: string): ProgressEvent
  progressAfter(seq: number): ProgressEvent[]
}

export function createCoursePlatform(options: { courses: Course[]; now: () => number }): CoursePlatform {
  const byId = new Map(options.courses.map((c) => [c.id, c]))
  const enrolments = new Map<string, Enrolment>()
  const feed: ProgressEvent[] = []
  const key = (externalId: string, courseId: string) => `${courseId}/${externalId}`
  const course = (id: string) => {
    const c = byId.get(id)
    if (!c) throw new Error(`Unknown course ${id}`)
    return c
  }
  return {
    courses: options.courses,
    course,
    enrol({ externalId, courseId, learner, email }) {
      course(courseId)
      const existing = enrolments.get(key(externalId, courseId))
      if (existing) return { enrolment: { ...existing }, created: false }
      const e: Enrolment = { externalId, courseId, learner, ...(email !== undefined && { email }), enrolledAt: options.now(), lessonsDone: 0 }
      enrolments.set(key(externalId, courseId), e)
      return { enrolment: { ...e }, created: true }
    },
    enrolment: (externalId, courseId) => {
      const e = enrolments.get(key(externalId, courseId))
      return e && { ...e }
    },
    enrolments: () => [...enrolments.values()].map((e) => ({ ...e })),
    finishLesson(externalId, courseId) {
      const e = enrolments.get(key(externalId, courseId))
      if (!e) throw new Error(`${externalId} is not enrolled in ${courseId}`)
      const { lessons } = course(courseId)
      if (e.lessonsDone < lessons) e.lessonsDone++
      if (e.lessonsDone === lessons) e.completedAt ??= options.now()
      const event: ProgressEvent = { seq: feed.length + 1, externalId, courseId, lessonsDone: e.lessonsDone, lessons, completed: e.completedAt !== undefined }
      feed.push(event)
      return { ...event }
    },
    progressAfter: (seq) => feed.filter((p) => p.seq > seq).map((p) => ({ ...p })),
  }
}
