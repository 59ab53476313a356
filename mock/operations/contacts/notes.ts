/**
 * Notes of a contact: list, create, read, update (shallow merge), delete.
 *
 * Unknown ids answer 400, like the API's unknown contact: `Contact with id … not found`
 * first, then `Note with id … not found` (a note id of another contact counts as unknown).
 * `body` is required on create (the spec's NotesDTO); `userId` is optional, and when given
 * must name a user of the contact's location (400 otherwise, as for a task's assignedTo).
 * `dateAdded` is set by the store on create and never changes.
 */
import type { components, operations } from '../../../openapi/generated/contacts.ts'
import type { MockState } from '../../state.ts'
import type { Note } from '../../store/types.ts'
import { defineHandlers } from '../../handler.ts'
import { requireChild, requireContact, requireUser } from './shared.ts'

type S = components['schemas']
type Path<K extends keyof operations> = operations[K]['parameters']['path']
type Body<K extends keyof operations> = NonNullable<operations[K]['requestBody']>['content']['application/json']

/** The stored note as the API shows it (GetNoteSchema has no locationId). */
const view = ({ locationId: _omit, ...n }: Note): S['GetNoteSchema'] => n

const requireNote = (state: MockState, contactId: string, noteId: string): Promise<Note> =>
  requireChild(state.store, contactId, 'Note', noteId, () => state.store.getNote(contactId, noteId))

export const notesHandlers = defineHandlers({
  async 'get-all-notes'(input, state) {
    const { contactId } = input.params as Path<'get-all-notes'>
    await requireContact(state.store, contactId)
    const res: S['GetNotesListSuccessfulResponseDto'] = { notes: (await state.store.listNotes(contactId)).map(view) }
    return { status: 200, body: res }
  },

  async 'create-note'(input, state) {
    const { contactId } = input.params as Path<'create-note'>
    const body = input.body as Body<'create-note'>
    const contact = await requireContact(state.store, contactId)
    await requireUser(state.store, contact.locationId, body.userId)
    const res: S['GetCreateUpdateNoteSuccessfulResponseDto'] = { note: view(await state.store.createNote(contactId, { ...body })) }
    return { status: 201, body: res }
  },

  async 'get-note'(input, state) {
    const { contactId, id } = input.params as Path<'get-note'>
    const res: S['GetCreateUpdateNoteSuccessfulResponseDto'] = { note: view(await requireNote(state, contactId, id)) }
    return { status: 200, body: res }
  },

  async 'update-note'(input, state) {
    const { contactId, id } = input.params as Path<'update-note'>
    const body = input.body as Body<'update-note'>
    const note = await requireNote(state, contactId, id)
    await requireUser(state.store, note.locationId, body.userId)
    const res: S['GetCreateUpdateNoteSuccessfulResponseDto'] = { note: view(await state.store.updateNote(contactId, id, { ...body })) }
    return { status: 200, body: res }
  },

  async 'delete-note'(input, state) {
    const { contactId, id } = input.params as Path<'delete-note'>
    await requireNote(state, contactId, id)
    const res: S['DeleteNoteSuccessfulResponseDto'] = { succeded: await state.store.deleteNote(contactId, id) }
    return { status: 200, body: res }
  },
})
