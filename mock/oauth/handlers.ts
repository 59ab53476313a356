import type { HandlerMap } from '../operations/types.ts'

export const oauthHandlers: HandlerMap = {}
