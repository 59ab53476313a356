/**
 * GET /contacts/{contactId}/appointments: the contact's appointments, {events: [...]} as the
 * vendor's GetEventsSuccessfulResponseDto. Read-only: appointments are written through the
 * Calendars API, which this mock does not serve (the store's seed provides them).
 */
import type { components, operations } from '../../../openapi/generated/contacts.ts'
import { defineHandlers } from '../../handler.ts'
import { requireContact } from './shared.ts'

type S = components['schemas']
type Path<K extends keyof operations> = operations[K]['parameters']['path']

export const appointmentsHandlers = defineHandlers({
  async 'get-appointments-for-contact'(input, state) {
    const { contactId } = input.params as Path<'get-appointments-for-contact'>
    await requireContact(state.store, contactId)
    const res: S['GetEventsSuccessfulResponseDto'] = { events: await state.store.listAppointments(contactId) }
    return { status: 200, body: res }
  },
})
