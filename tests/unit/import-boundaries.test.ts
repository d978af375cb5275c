import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Who may not import whom, folder by folder (paths from the repository root). A file under `files`
 * may import nothing under `mayNotImport`, whether by a relative path or a package alias (`#wire`).
 */
interface Rule {
  files: string
  mayNotImport: string
  /** Why, shown when the rule is broken. */
  because: string
}

const RULES: Rule[] = [
  { files: 'server', mayNotImport: 'mock', because: 'the product never depends on its demo: seeding and the simulator reach it through mock/demo.ts\'s hooks (server/src/run.ts)' },
]

const SOURCE = /\.(?:ts|mts|mjs|js|vue)$/

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    if (entry === 'node_modules')
      return []
    if (statSync(path).isDirectory())
      return sourceFiles(path)
    return SOURCE.test(entry) && !entry.endsWith('.d.ts') ? [path] : []
  })
}

/** The package's own import aliases (`"imports"` in package.json), e.g. `#wire` → `./server/src/wire/index.ts`. */
const aliases = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports?: Record<string, string> }).imports ?? {}

/** Every module a file imports (static, dynamic, re-exports, side-effect imports), resolved to a repository path where it is one of ours. */
function importsOf(file: string, source = readFileSync(file, 'utf8')): { specifier: string, path: string | undefined }[] {
  const { importedFiles } = ts.preProcessFile(source, true, true)
  return importedFiles.map(({ fileName: specifier }) => {
    if (specifier.startsWith('.'))
      return { specifier, path: relative(root, resolve(dirname(file), specifier)) }
    const alias = aliases[specifier]
    return { specifier, path: alias ? relative(root, resolve(root, alias)) : undefined }
  })
}

function inside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}${sep}`)
}

describe('import boundaries', () => {
  it.each(RULES)('nothing under $files/ imports from $mayNotImport/', ({ files, mayNotImport, because }) => {
    const scanned = sourceFiles(join(root, files))
    // A scan that finds nothing proves nothing.
    expect(scanned.length).toBeGreaterThan(0)
    const broken = scanned.flatMap(file => importsOf(file)
      .filter(({ path }) => path !== undefined && inside(path, mayNotImport))
      .map(({ specifier }) => `${relative(root, file)} imports ${specifier}`))
    expect(broken, because).toEqual([])
  })

  it('sees type, re-exported, dynamic and side-effect imports, resolved from the importing file', () => {
    const source = `import type { A } from '../../mock/rows.ts'\nexport { b } from './b.ts'\nconst c = await import('../../mock/simulate.ts')\nimport 'pino'\n`
    const found = importsOf(join(root, 'server/src/probe.ts'), source)
    expect(found.map(({ path }) => path?.split(sep).join('/'))).toEqual(['mock/rows.ts', 'server/src/b.ts', 'mock/simulate.ts', undefined])
    expect(inside(join('mock', 'rows.ts'), 'mock')).toBe(true)
    expect(inside(join('mockery', 'x.ts'), 'mock')).toBe(false)
  })
})
