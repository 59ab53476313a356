import type { HandlerMap } from '../types.ts'

export const campaignsHandlers: HandlerMap = {}
