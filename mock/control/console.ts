/** GET /__mock/ui and its assets: the QA console, served as control operations so the control guard covers it. */
import { defineHandlers } from '../handler.ts'
import { consolePage } from '../web/console.ts'
import { asset, respond } from '../web/respond.ts'

export const consoleControlHandlers = defineHandlers({
  getConsole: (_input, state) => respond('html', consolePage({ seed: state.options.seed })),
  getConsoleScript: () => respond('js', asset('console.js')),
  getConsoleStyle: () => respond('css', asset('console.css')),
})
