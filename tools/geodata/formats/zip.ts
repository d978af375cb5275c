import type { Zippable } from 'fflate'
import { unzipSync, zipSync } from 'fflate'
import { UsageError } from '../errors.ts'

/** Files of a zip archive by path (directories left out). */
export type ZipEntries = Record<string, Uint8Array>

/**
 * Unzips an archive, refusing it before inflating anything when its entries would add up to more than
 * `maxBytes` (a zip bomb, or simply a file over the size limit).
 */
export function unzipLimited(data: Uint8Array, maxBytes: number, name: string): ZipEntries {
  let total = 0
  let entries: ZipEntries
  try {
    entries = unzipSync(data, {
      filter: (file) => {
        total += file.originalSize
        if (total > maxBytes)
          throw new UsageError(`${name} unpacks to more than ${Number((maxBytes / 1e6).toPrecision(3))} MB, over the size limit (--max-size-mb)`)
        return !file.name.endsWith('/')
      },
    })
  }
  catch (error) {
    if (error instanceof UsageError)
      throw error
    throw new UsageError(`${name} is not a readable zip archive (${(error as Error).message})`)
  }
  return entries
}

/** A zip archive of the given files, deflated, with a fixed date so that equal content gives equal bytes. */
export function zipFiles(files: Record<string, Uint8Array | string>): Uint8Array {
  const encoder = new TextEncoder()
  const input: Zippable = {}
  for (const [path, content] of Object.entries(files))
    input[path] = [typeof content === 'string' ? encoder.encode(content) : content, { mtime: new Date('2024-01-01T00:00:00Z') }]
  return zipSync(input, { level: 6 })
}

/** The entry whose name ends with `suffix` (case-insensitive), ignoring macOS resource forks. */
export function entriesEndingWith(entries: ZipEntries, suffix: string): string[] {
  return Object.keys(entries).filter(name => name.toLowerCase().endsWith(suffix) && !name.includes('__MACOSX/'))
}
