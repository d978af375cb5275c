import type { MiddlewareHandler } from 'hono'
import type { Config } from '../config.ts'

/** The origin a tile or stream URL template is served from, as a CSP source (`{s}` → a wildcard label). */
export function templateOrigin(template: string): string | null {
  try {
    const url = new URL(template.replace(/\{s\}/g, 'cc-subdomain').replace(/\{[^}]+\}/g, '0'))
    const host = url.host.replace(/^[^.]*cc-subdomain[^.]*\./, '*.')
    return `${url.protocol}//${host}`
  }
  catch {
    return null
  }
}

/**
 * The Content-Security-Policy the screen runs under: everything from this server, plus the intranet
 * tile server and video gateway when configured. No `unsafe-eval` (Cesium runs as `CesiumWidget`-free
 * of Knockout bindings; WebAssembly is allowed by `wasm-unsafe-eval`, which evaluates no strings);
 * inline styles are allowed (Vue style bindings, ECharts and Cesium set element styles).
 */
export function contentSecurityPolicy(config: Pick<Config, 'map' | 'map2d'>): string {
  const basemap = config.map.basemap
  // Only when a deployment opted in to mapbox-gl with its token: the Mapbox hosts it talks to.
  const mapbox = config.map2d.renderer === 'mapbox' ? 'https://api.mapbox.com https://events.mapbox.com' : null
  const tiles = 'url' in basemap ? templateOrigin(basemap.url) : null
  const video = config.map.cameraHlsUrl ? templateOrigin(config.map.cameraHlsUrl) : null
  const extra = (...origins: (string | null)[]): string => origins.filter(Boolean).map(o => ` ${o}`).join('')
  return [
    `default-src 'self'`,
    `script-src 'self' 'wasm-unsafe-eval'`,
    `worker-src 'self' blob:`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:${extra(tiles, mapbox)}`,
    `connect-src 'self'${extra(tiles, video, mapbox)}`,
    `media-src 'self' blob:${extra(video)}`,
    `font-src 'self' data:`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ')
}

/**
 * Security headers on every answer: CSP, no MIME sniffing, no framing, no referrer, HSTS over TLS;
 * API answers are never stored by a cache unless a route says otherwise.
 */
export function securityHeaders(config: Pick<Config, 'map' | 'map2d' | 'tls'>): MiddlewareHandler {
  const csp = contentSecurityPolicy(config)
  return async (c, next) => {
    await next()
    const headers = c.res.headers
    headers.set('Content-Security-Policy', csp)
    headers.set('X-Content-Type-Options', 'nosniff')
    headers.set('X-Frame-Options', 'DENY')
    headers.set('Referrer-Policy', 'no-referrer')
    headers.set('Cross-Origin-Opener-Policy', 'same-origin')
    if (config.tls)
      headers.set('Strict-Transport-Security', 'max-age=31536000')
    if (c.req.path.startsWith('/api/') && !headers.has('Cache-Control'))
      headers.set('Cache-Control', 'no-store')
  }
}
