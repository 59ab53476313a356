/**
 * The consumer and CI docs show only what the packed-consumer suite runs: every fenced
 * block is either a file of the repository (`<!-- file: path -->` above it, same text) or
 * commands the suite runs in the consumer project (`<!-- run: consumer -->`).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface DocBlock {
  doc: string
  marker: { kind: 'file'; path: string } | { kind: 'run'; where: string } | undefined
  lang: string
  text: string
}

export function docBlocks(root: string, doc: string): DocBlock[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n')
  const blocks: DocBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)\s*$/.exec(lines[i]!)
    if (!open) continue
    const fence = open[1]!
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === fence)
    if (end < 0) throw new Error(`${doc}: unclosed code block at line ${i + 1}`)
    let k = i - 1
    while (k >= 0 && lines[k]!.trim() === '') k--
    const m = /^<!--\s*(file|run):\s*(\S+)\s*-->$/.exec(lines[k]?.trim() ?? '')
    blocks.push({
      doc,
      marker: m ? (m[1] === 'file' ? { kind: 'file', path: m[2]! } : { kind: 'run', where: m[2]! }) : undefined,
      lang: open[2] ?? '',
      text: lines.slice(i + 1, end).join('\n'),
    })
    i = end
  }
  return blocks
}
