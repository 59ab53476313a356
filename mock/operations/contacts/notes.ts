/**
 * Notes of a contact: list, create, read, update (shallow merge), delete.
 *
 * Unknown ids answer 400, like the API's unknown contact: `Contact with id … not found`
 * first, then `Note with id … not found` (a note id of another contact counts as unknown).
 * `body` is required on create (the spec's NotesDTO); `userId` is optional, and when given
 * must name a user of the contact's location (400 otherwise, as for a task's assignedTo).
 * `dateAdded` is set by the store on create and never changes.
 */
import type { components } from '../../../openapi/generated/contacts.ts'
import type { MockState } from '../../state.ts'
import type { Note } from '../../store/types.ts'
import { defineHandlers } from '../../handler.ts'
import { requireChild, requireContact, requireUser } from './shared.ts'

type S = components['schemas']

/** The stored note as the API shows it (GetNoteSchema has no locationId). */
const view = ({ locationId: _omit, ...n }: Note): S['GetNoteSchema'] => n

const requireNote = (state: MockState, contactId: string, noteId: string): Promise<Note> =>
  requireChild(state.store, contactId, 'Note', noteId, () => state.store.getNote(contactId, noteId))

export const notesHandlers = defineHandlers({
  async 'get-all-notes'(input, state) {
    const { contactId } = input.params
    await requireContact(state.store, contactId)
    return { status: 200, body: { notes: (await state.store.listNotes(contactId)).map(view) } }
  },

  async 'create-note'(input, state) {
    const { contactId } = input.params
    const body = input.body
    const contact = await requireContact(state.store, contactId)
    await requireUser(state.store, contact.locationId, body.userId)
    return { status: 201, body: { note: view(await state.store.createNote(contactId, { ...body })) } }
  },

  async 'get-note'(input, state) {
    const { contactId, id } = input.params
    return { status: 200, body: { note: view(await requireNote(state, contactId, id)) } }
  },

  async 'update-note'(input, state) {
    const { contactId, id } = input.params
    const body = input.body
    const note = await requireNote(state, contactId, id)
    await requireUser(state.store, note.locationId, body.userId)
    return { status: 200, body: { note: view(await state.store.updateNote(contactId, id, { ...body })) } }
  },

  async 'delete-note'(input, state) {
    const { contactId, id } = input.params
    await requireNote(state, contactId, id)
    return { status: 200, body: { succeded: await state.store.deleteNote(contactId, id) } }
  },
})
