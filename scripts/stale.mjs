// Whether a build is older than its sources: shared by the screen's and the server's builds.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The newest modification time under a path (a file, or a folder walked recursively); 0 when absent. */
export function newestMtime(path) {
  if (!existsSync(path))
    return 0
  const stats = statSync(path)
  if (!stats.isDirectory())
    return stats.mtimeMs
  let newest = stats.mtimeMs
  for (const entry of readdirSync(path))
    newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when `stamp` is missing or older than anything under `inputs` (paths relative to `root`). */
export function isStale(root, stamp, inputs) {
  if (!existsSync(stamp))
    return true
  const built = statSync(stamp).mtimeMs
  return inputs.some(input => newestMtime(join(root, input)) > built)
}
