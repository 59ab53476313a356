import type { HandlerMap } from '../types.ts'

export const tagsHandlers: HandlerMap = {}
