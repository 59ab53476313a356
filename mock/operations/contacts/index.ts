/** The Contacts API's 32 operations, grouped by resource. */
import type { HandlerMap } from '../../handler.ts'
import { contactsHandlers as contacts } from './contacts.ts'
import { searchHandlers } from './search.ts'
import { businessHandlers } from './business.ts'
import { bulkHandlers } from './bulk.ts'
import { tasksHandlers } from './tasks.ts'
import { notesHandlers } from './notes.ts'
import { tagsHandlers } from './tags.ts'
import { followersHandlers } from './followers.ts'
import { campaignsHandlers } from './campaigns.ts'
import { workflowsHandlers } from './workflows.ts'
import { appointmentsHandlers } from './appointments.ts'

export const contactsHandlers: HandlerMap = {
  ...contacts,
  ...searchHandlers,
  ...businessHandlers,
  ...bulkHandlers,
  ...tasksHandlers,
  ...notesHandlers,
  ...tagsHandlers,
  ...followersHandlers,
  ...campaignsHandlers,
  ...workflowsHandlers,
  ...appointmentsHandlers,
}
