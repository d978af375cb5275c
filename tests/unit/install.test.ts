import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'

interface LockedPackage {
  version?: string
  engines?: { node?: string } | string[]
  hasInstallScript?: boolean
  optional?: boolean
  os?: string[]
  cpu?: string[]
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockedPackage> }
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string }, allowScripts?: Record<string, boolean> }
/** The oldest Node the product promises to run on (package.json engines). */
const oldest = semver.minVersion(manifest.engines.node)!.version

/** Packages a Linux x64 machine installs (platform-specific optional ones for other systems are skipped). */
const installed = Object.entries(lock.packages).filter(([path, p]) => path !== '' && !(p.optional && ((p.os && !p.os.includes('linux')) || (p.cpu && !p.cpu.includes('x64')))))

describe('a clean install on the oldest supported Node prints nothing to wonder about', () => {
  it(`installs no package whose engines exclude Node ${oldest} (npm's EBADENGINE warning)`, () => {
    expect(installed.length).toBeGreaterThan(100)
    const refused = installed
      .filter(([, p]) => !Array.isArray(p.engines) && p.engines?.node && !semver.satisfies(oldest, p.engines.node, { includePrerelease: true }))
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version} needs node ${(p.engines as { node: string }).node}`)
    expect(refused).toEqual([])
  })

  it('approves every install script it runs (npm\'s allowScripts)', () => {
    const scripts = installed.filter(([, p]) => p.hasInstallScript).map(([path]) => path.replace(/^.*node_modules\//, ''))
    expect(scripts.filter(name => manifest.allowScripts?.[name] === undefined)).toEqual([])
  })
})
