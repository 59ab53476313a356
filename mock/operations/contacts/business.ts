import type { HandlerMap } from '../types.ts'

export const businessHandlers: HandlerMap = {}
