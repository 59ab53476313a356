import type { HandlerMap } from '../types.ts'

export const contactsHandlers: HandlerMap = {}
