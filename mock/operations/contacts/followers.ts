import type { HandlerMap } from '../types.ts'

export const followersHandlers: HandlerMap = {}
