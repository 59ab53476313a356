import type { HandlerMap } from '../types.ts'

export const tasksHandlers: HandlerMap = {}
