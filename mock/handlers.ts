/** Every operation's handler, by operationId: the Contacts API, OAuth, and the control API. */
import type { HandlerMap } from './handler.ts'
import { contactsHandlers } from './operations/contacts/index.ts'
import { oauthHandlers } from './oauth/handlers.ts'
import { controlHandlers } from './control/index.ts'

export const handlers: HandlerMap = { ...contactsHandlers, ...oauthHandlers, ...controlHandlers }
