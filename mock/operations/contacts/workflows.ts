import type { HandlerMap } from '../types.ts'

export const workflowsHandlers: HandlerMap = {}
