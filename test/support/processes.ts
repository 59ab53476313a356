/** Spawned servers for the signal tests: read the URL they print, and wait for their port to close. */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'

/** Starts `command` in its own process group (so a test can signal the group, as Ctrl-C does) and resolves with the first URL it prints. */
export async function spawnServer(
  command: string,
  args: string[],
  options: { cwd?: string; spawned?: (child: ChildProcess) => void } = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  // Known to the caller at once, so its cleanup finds it even if the start never completes.
  options.spawned?.(child)
  let out = ''
  child.stdout!.setEncoding('utf8')
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => (out += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      out += chunk
      const m = /http:\/\/[\d.]+:\d+/.exec(out)
      if (m) resolve(m[0])
    })
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before listening: ${out}`)))
  })
  return { child, url, output: () => out }
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })

/** Polls until a connection to the URL's port is refused; false if it is still open after `attempts` tries. */
export async function portClosed(url: string, attempts = 150, intervalMs = 50): Promise<boolean> {
  const port = Number(new URL(url).port)
  for (let i = 0; i < attempts; i++) {
    if (await refused(port)) return true
    await delay(intervalMs)
  }
  return false
}

/** Cleanup: whatever of the group is left (the test's own processes, by group id). */
export function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch {
    // already gone
  }
}
