import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../server/src/api/headers.ts'
import { maskAddress, maskName, maskPhone } from '../../server/src/auth/masking.ts'
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../server/src/auth/passwords.ts'
import { ipAllowed } from '../../server/src/auth/service.ts'
import { loadConfig } from '../../server/src/config.ts'

describe('the password policy and its hashes', () => {
  it('asks for 10 characters of three kinds, not containing the account name', () => {
    expect(passwordProblem('Short-1a', 'wang')).toMatch(/at least 10 characters/)
    expect(passwordProblem('alllowercaseletters', 'wang')).toMatch(/three of/)
    expect(passwordProblem('lowercase-and-symbols', 'wang')).toMatch(/three of/)
    expect(passwordProblem('Wang-Is-Here-2026', 'wang')).toMatch(/account name/)
    expect(passwordProblem('Correct-Horse-9', 'wang')).toBeNull()
    expect(passwordProblem('correcthorse9!', 'wang')).toBeNull()
  })

  it('generates passwords that always meet it', () => {
    for (let i = 0; i < 500; i++) {
      const password = generatePassword()
      expect({ password, problem: passwordProblem(password, 'admin') }).toEqual({ password, problem: null })
    }
  })

  it('hashes with salted scrypt (N = 2^15, r = 8) and verifies only the right password', async () => {
    const [a, b] = [await hashPassword('Correct-Horse-9'), await hashPassword('Correct-Horse-9')]
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w+/=]+\$[\w+/=]+$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('Correct-Horse-9', a)).toBe(true)
    expect(await verifyPassword('Correct-Horse-8', a)).toBe(false)
    expect(await verifyPassword('Correct-Horse-9', 'plain-text')).toBe(false)
  })
})

describe('masking of personal fields', () => {
  it('keeps a name\'s first character, a phone\'s first three and last four digits, an address\'s village', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('欧阳娜娜')).toBe('欧***')
    expect(maskPhone('13812341234')).toBe('138****1234')
    expect(maskPhone('138-1234-1234')).toBe('138****1234')
    expect(maskAddress('杨柳村3组18号', '杨柳村')).toBe('杨柳村')
    expect(maskAddress('杨柳村3组18号', null)).toBeNull()
  })
})

describe('who may reach the wall', () => {
  it('is open without DATABASE_URL (the embedded demo) and asks for a display token with it', () => {
    expect(loadConfig({}).wallAccess).toBe('open')
    expect(loadConfig({ DATABASE_URL: 'postgres://cc@db.intranet/township' }).wallAccess).toBe('device')
    expect(loadConfig({ DATABASE_URL: 'postgres://cc@db.intranet/township', WALL_ACCESS: 'open' }).wallAccess).toBe('open')
  })

  it('binds a display to its IP range (IPv4, IPv4-mapped IPv6, IPv6), or lets it in from anywhere without one', () => {
    expect(ipAllowed('10.1.2.77', '10.1.2.0/24')).toBe(true)
    expect(ipAllowed('::ffff:10.1.2.77', '10.1.2.0/24')).toBe(true)
    expect(ipAllowed('10.1.3.1', '10.1.2.0/24')).toBe(false)
    expect(ipAllowed('fd00::5', 'fd00::/8')).toBe(true)
    expect(ipAllowed('fe80::5', 'fd00::/8')).toBe(false)
    expect(ipAllowed(null, '10.1.2.0/24')).toBe(false)
    expect(ipAllowed('192.168.0.9', null)).toBe(true)
  })
})

describe('the Content-Security-Policy', () => {
  it('never allows eval; adds the intranet tile server and video gateway when configured, Mapbox only when chosen', () => {
    const base = loadConfig({})
    const plain = contentSecurityPolicy(base)
    expect(plain).not.toMatch(/'unsafe-eval'/)
    expect(plain).toContain('script-src \'self\' \'wasm-unsafe-eval\'')
    expect(plain).toContain('frame-ancestors \'none\'')
    expect(plain).not.toContain('mapbox')
    const intranet = contentSecurityPolicy(loadConfig({ MAP_BASEMAP: 'xyz', MAP_TILE_URL: 'http://t{s}.tiles.intranet:8081/{z}/{x}/{y}.png', MAP_TILE_SUBDOMAINS: '0123', CAMERA_HLS_URL: 'http://10.0.0.5/live/{code}/hls.m3u8' }))
    expect(intranet).toMatch(/img-src 'self' data: blob: http:\/\/\*\.tiles\.intranet:8081(;|$)/)
    expect(intranet).toMatch(/connect-src 'self' http:\/\/\*\.tiles\.intranet:8081 http:\/\/10\.0\.0\.5(;|$)/)
    expect(intranet).toMatch(/media-src 'self' blob: http:\/\/10\.0\.0\.5(;|$)/)
    expect(intranet).not.toMatch(/'unsafe-eval'/)
  })
})
