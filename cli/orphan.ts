/**
 * `npx ghl-mock` and `npm start` run the server under npm, through `sh -c`:
 * npm → sh → node. A signal to npm alone reaches only that shell: on SIGTERM the shell dies
 * and node is re-parented; on SIGINT npm exits while the shell waits on. Either way the
 * server would outlive npm and keep its port. So the server watches its parent and, where
 * the system tells (Linux /proc), its grandparent, and closes once either is gone.
 */
import { readFileSync } from 'node:fs'

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    return Number.isInteger(ppid) && ppid > 1 ? ppid : undefined
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function stopWhenOrphaned(close: () => Promise<void>, everyMs = 200): void {
  const parent = process.ppid
  const grandparent = parentOf(parent)
  const timer = setInterval(() => {
    if (process.ppid === parent && (grandparent === undefined || alive(grandparent))) return
    clearInterval(timer)
    void close().then(() => process.exit(0))
  }, everyMs)
  timer.unref()
}

/** True when npm (npm start, npm exec / npx) started this process. */
export const startedByNpm = (env: NodeJS.ProcessEnv = process.env): boolean => Boolean(env.npm_lifecycle_event)
