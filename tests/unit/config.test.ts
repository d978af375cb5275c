import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../server/src/config.ts'

describe('loadConfig', () => {
  it('uses the documented defaults on an empty environment: port 8080, embedded database, demo mode', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: undefined, redisUrl: undefined, logLevel: 'info', demo: true, shutdownTimeoutMs: 5000 })
    expect(config.dataDir).toMatch(/\/\.data$/)
  })

  it('turns demo mode off by default on a real database, and on when asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demo).toBe(false)
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO: 'yes' }).demo).toBe(true)
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 8080, databaseUrl: undefined })
  })

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ PORT: '65536' }, 'PORT must be an integer from 0 to 65535 (got "65536")'],
    [{ PORT: '-1' }, 'PORT must be an integer from 0 to 65535 (got "-1")'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL must be a URL starting with postgres:// or postgresql:// (got "mysql://x/y")'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must be a URL starting with redis:// or rediss:// (got "localhost:6379")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ DEMO: 'maybe' }, 'DEMO must be one of 1/0, true/false, yes/no, on/off (got "maybe")'],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
    expect(message).not.toContain('\n')
  })
})

describe('the console\'s 2D map renderer', () => {
  it('is maplibre-gl by default; mapbox-gl without a token is refused with one line naming the setting', () => {
    expect(loadConfig({}).map2d).toEqual({ renderer: 'maplibre', mapboxAccessToken: null })
    expect(() => loadConfig({ MAP2D_RENDERER: 'mapbox' })).toThrow(/^MAPBOX_ACCESS_TOKEN must be set when MAP2D_RENDERER is mapbox/)
    expect(loadConfig({ MAP2D_RENDERER: 'mapbox', MAPBOX_ACCESS_TOKEN: 'pk.eyJ1IjoidG93bnNoaXAiLCJhIjoiY2xhYmMifQ.abc' }).map2d.renderer).toBe('mapbox')
  })
})
