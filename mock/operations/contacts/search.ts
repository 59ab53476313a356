import type { HandlerMap } from '../types.ts'

export const searchHandlers: HandlerMap = {}
