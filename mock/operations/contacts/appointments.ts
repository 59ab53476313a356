/** Appointments of a contact: read-only here (they are written through the Calendars API). */
import type { HandlerMap } from '../types.ts'
import { requireContact } from './lookup.ts'

export const appointmentsHandlers: HandlerMap = {
  async 'get-appointments-for-contact'({ params }, state) {
    await requireContact(state.store, params.contactId)
    const events = await state.store.listAppointments(params.contactId)
    return { status: 200, body: { events } }
  },
}
