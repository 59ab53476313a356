/**
 * Putting a course's live session in front of the learner.
 *
 * The platform's integration page says to book it with `POST /contacts/{id}/appointments`
 * (and move it with `PUT /contacts/{id}/appointments/{appointmentId}`). Neither exists:
 * the Contacts API only reads a contact's appointments (`GET`); appointments are written
 * through the Calendars API. The real API answers 404, and the kit's strict mode records
 * an `unknown-endpoint` violation (test/appointments.test.ts shows it). The typed client
 * has no such method, because the spec has no such operation.
 *
 * What the Contacts API does offer: the appointments already on the contact (to leave
 * alone a session someone booked in the calendar) and a task due at the session's start.
 */
import type { GhlClient } from 'ghl-contacts-mock/client'

export interface LiveSession {
  courseId: string
  courseName: string
  title: string
  startsAt: string
}

export interface SessionScheduler {
  schedule(contactId: string, session: LiveSession): Promise<'booked-already' | 'task-exists' | 'task-created'>
}

export const sessionTaskTitle = (s: LiveSession) => `Live session: ${s.courseName}: ${s.title}`

export function sessionTasks(ghl: GhlClient): SessionScheduler {
  return {
    async schedule(contactId, session) {
      const { events } = await ghl.appointments.list(contactId)
      const start = Date.parse(session.startsAt)
      if (events.some((e) => e.title === session.title && e.startTime !== undefined && Date.parse(e.startTime) === start)) return 'booked-already'
      const title = sessionTaskTitle(session)
      const { tasks } = await ghl.tasks.list(contactId)
      if (tasks.some((t) => t.title === title)) return 'task-exists'
      await ghl.tasks.create(
        contactId,
        { title, body: `${session.courseName}: join the live session "${session.title}".`, dueDate: session.startsAt, completed: false },
        { recover: true },
      )
      return 'task-created'
    },
  }
}
