/** Notes of a contact: list, create, read, update, delete. */
import type { components } from '../../../openapi/generated/contacts.ts'
import { badRequest } from '../../errors.ts'
import type { MockState } from '../../state.ts'
import type { Note } from '../../store/types.ts'
import type { HandlerMap } from '../types.ts'
import { requireContact } from './lookup.ts'

type NoteView = components['schemas']['GetNoteSchema']

const view = ({ locationId: _omit, ...n }: Note): NoteView => n

async function requireNote(state: MockState, contactId: string, noteId: string): Promise<Note> {
  await requireContact(state.store, contactId)
  const note = await state.store.getNote(contactId, noteId)
  if (!note) throw badRequest(`Note with id ${noteId} not found`)
  return note
}

export const notesHandlers: HandlerMap = {
  async 'get-all-notes'({ params }, state) {
    await requireContact(state.store, params.contactId)
    return { status: 200, body: { notes: (await state.store.listNotes(params.contactId)).map(view) } }
  },
  async 'create-note'({ params, body }, state) {
    await requireContact(state.store, params.contactId)
    return { status: 201, body: { note: view(await state.store.createNote(params.contactId, body)) } }
  },
  async 'get-note'({ params }, state) {
    return { status: 200, body: { note: view(await requireNote(state, params.contactId, params.id)) } }
  },
  async 'update-note'({ params, body }, state) {
    await requireNote(state, params.contactId, params.id)
    return { status: 200, body: { note: view(await state.store.updateNote(params.contactId, params.id, body)) } }
  },
  async 'delete-note'({ params }, state) {
    await requireNote(state, params.contactId, params.id)
    return { status: 200, body: { succeded: await state.store.deleteNote(params.contactId, params.id) } }
  },
}
