import type { HandlerMap } from '../types.ts'

export const bulkHandlers: HandlerMap = {}
