/**
 * GET /contacts/{contactId}/appointments: the contact's appointments, {events: [...]} as the
 * vendor's GetEventsSuccessfulResponseDto. Read-only: appointments are written through the
 * Calendars API, which this mock does not serve (the store's seed provides them).
 */
import { defineHandlers } from '../../handler.ts'
import { requireContact } from './shared.ts'

export const appointmentsHandlers = defineHandlers({
  async 'get-appointments-for-contact'(input, state) {
    const { contactId } = input.params
    await requireContact(state.store, contactId)
    return { status: 200, body: { events: await state.store.listAppointments(contactId) } }
  },
})
