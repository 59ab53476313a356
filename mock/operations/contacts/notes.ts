import type { HandlerMap } from '../types.ts'

export const notesHandlers: HandlerMap = {}
