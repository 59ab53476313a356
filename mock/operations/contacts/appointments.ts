import type { HandlerMap } from '../types.ts'

export const appointmentsHandlers: HandlerMap = {}
