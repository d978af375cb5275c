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

  it('casts no value through unknown in the product\'s code (server/, screen/; tests aside)', () => {
    const product = [...sourceFiles(join(root, 'server')), ...sourceFiles(join(root, 'screen'))]
      .filter(file => !/\.test\.ts$/.test(file))
    expect(product.length).toBeGreaterThan(100)
    const casts = product.flatMap(file => readFileSync(file, 'utf8').split('\n')
      .flatMap((line, i) => /\bas unknown as\b/.test(line) ? [`${relative(root, file)}:${i + 1}`] : []))
    expect(casts, 'a double cast hides a type error: type the value (a wire type, a guard) instead').toEqual([])
  })

  it('sees type, re-exported, dynamic and side-effect imports, resolved from the importing file', () => {
    const source = `import type { A } from '../../mock/rows.ts'\nexport { b } from './b.ts'\nconst c = await import('../../mock/simulate.ts')\nimport 'pino'\n`
    const found = importsOf(join(root, 'server/src/probe.ts'), source)
    expect(found.map(({ path }) => path?.split(sep).join('/'))).toEqual(['mock/rows.ts', 'server/src/b.ts', 'mock/simulate.ts', undefined])
    expect(inside(join('mock', 'rows.ts'), 'mock')).toBe(true)
    expect(inside(join('mockery', 'x.ts'), 'mock')).toBe(false)
  })
})

/**
 * The server's layers, bottom to top (server/src/README.md): a file may import from its own layer and
 * the ones below, never from a higher one. Paths are folders or files under server/src.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['wire', 'domain', 'db', 'geo', 'config.ts', 'logger.ts'],
  ['contract', 'auth'],
  ['sources'],
  ['metrics'],
  ['live', 'ops'],
  ['api'],
  ['app.ts'],
  ['server.ts', 'bootstrap.ts', 'waiting.ts', 'run.ts', 'main.ts', 'launch.ts', 'cli'],
]

function layerOf(path: string): number | undefined {
  const inServer = relative(join('server', 'src'), path)
  if (inServer.startsWith('..'))
    return undefined
  const top = inServer.split(sep)[0]!
  const index = LAYERS.findIndex(layer => layer.includes(top))
  return index < 0 ? undefined : index
}

describe('the server\'s layers', () => {
  const files = sourceFiles(join(root, 'server', 'src'))
  const edges = files.flatMap(file => importsOf(file)
    .filter(({ path }) => path !== undefined && inside(path, join('server', 'src')))
    .map(({ path }) => ({ from: relative(root, file), to: path! })))

  it('puts every file of server/src in a layer', () => {
    expect(files.length).toBeGreaterThan(40)
    expect(files.map(file => relative(root, file)).filter(path => layerOf(path) === undefined)).toEqual([])
  })

  it('imports only from the same layer or below (domain/db ← contract ← sources ← metrics ← live ← api ← app ← main)', () => {
    const upward = edges.filter(({ from, to }) => layerOf(to)! > layerOf(from)!).map(({ from, to }) => `${from} → ${to}`)
    expect(upward).toEqual([])
  })

  it('has no import cycle, type-only imports included', () => {
    const graph = new Map<string, string[]>()
    for (const { from, to } of edges)
      graph.set(from, [...graph.get(from) ?? [], to])
    const cycles: string[] = []
    const state = new Map<string, 'visiting' | 'done'>()
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === 'done')
        return
      if (state.get(node) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '))
        return
      }
      state.set(node, 'visiting')
      for (const next of graph.get(node) ?? [])
        visit(next, [...trail, node])
      state.set(node, 'done')
    }
    for (const node of graph.keys())
      visit(node, [])
    expect(cycles).toEqual([])
  })
})
