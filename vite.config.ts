import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { constants as zlibConstants } from 'node:zlib'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { compression, defineAlgorithm } from 'vite-plugin-compression2'
import { viteStaticCopy } from 'vite-plugin-static-copy'

const cesiumSource = 'node_modules/cesium/Build/Cesium'
const cesiumBuild = fileURLToPath(new URL(`./${cesiumSource}`, import.meta.url))
/** Cesium's folders whose text files are precompressed too. */
const cesiumArtifacts = ['Workers', 'Assets', 'Assets/IAU2006_XYS']
/** Where Cesium's workers, assets and widgets are served from (Cesium's own Vite pattern). */
const cesiumBaseUrl = 'cesium'
/** The server `npm run dev` proxies to (it runs on PORT, default 8080). */
const apiTarget = `http://localhost:${process.env.PORT ?? 8080}`

export default defineConfig({
  root: fileURLToPath(new URL('./screen', import.meta.url)),
  base: '/',
  publicDir: false,
  define: {
    CESIUM_BASE_URL: JSON.stringify(`/${cesiumBaseUrl}`),
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./screen/src', import.meta.url)) },
  },
  plugins: [
    vue(),
    viteStaticCopy({
      targets: ['Workers', 'Assets', 'ThirdParty', 'Widgets'].map(dir => ({
        src: `${fileURLToPath(new URL(`./${cesiumSource}/${dir}`, import.meta.url))}`,
        dest: cesiumBaseUrl,
      })),
    }),
    // Gzip and Brotli copies beside each text asset; the server sends the smallest the browser takes
    // (a wall's first load of Cesium over a township's link: ≈4 MB of JavaScript → ≈1 MB).
    compression({
      include: /\.(?:js|mjs|css|html|json|svg|wasm|glsl|xml)$/,
      threshold: 1024,
      algorithms: [defineAlgorithm('gzip', { level: 9 }), defineAlgorithm('brotliCompress', { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } })],
      skipIfLargerOrEqual: true,
      // Cesium's own files the screen fetches (copied above, outside the bundle): its workers and the
      // JSON it loads at start (approximate terrain heights, Earth orientation tables).
      artifacts: () => cesiumArtifacts.flatMap(dir => readdirSync(join(cesiumBuild, dir))
        .filter(name => /\.(?:js|json)$/.test(name))
        .map(name => ({ src: join(cesiumBuild, dir, name), replace: (dest: string) => join(dest, cesiumBaseUrl, dir, name) }))),
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist/screen', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    rolldownOptions: {
      output: {
        // Cesium and ECharts change rarely: their own chunks stay cached across releases of the app.
        codeSplitting: {
          groups: [
            { name: 'cesium', test: /node_modules[\\/](?:cesium|@cesium)/ },
            // ECharts without its SVG renderer (the wall draws on canvas; the animator's svg/helper stays here)…
            { name: 'echarts', test: /node_modules[\\/](?:echarts(?![\\/]lib[\\/]renderer[\\/]installSVGRenderer)|zrender(?![\\/]lib[\\/]svg[\\/](?!helper\.js)))/ },
            // … and the SVG renderer, the printable briefing's only: a chunk the wall never loads.
            { name: 'echarts-svg', test: /node_modules[\\/](?:echarts[\\/]lib[\\/]renderer[\\/]installSVGRenderer|zrender[\\/]lib[\\/]svg[\\/])/ },
            // Loaded only when a camera card plays a stream: its own chunk, outside the eager vendor one.
            { name: 'hls', test: /node_modules[\\/]hls\.js/ },
            // The console's 2D map: loaded with the console, never by a wall.
            { name: 'maplibre', test: /node_modules[\\/](?:maplibre-gl|@maplibre|@mapbox)/ },
            // mapbox-gl, only for deployments that opted in (MAP2D_RENDERER=mapbox): never in another chunk.
            { name: 'mapbox', test: /node_modules[\\/]mapbox-gl[\\/]/ },
            // The benchmarks' synthetic grids (Voronoi): never loaded by a wall.
            { name: 'bench', test: /node_modules[\\/](?:d3-delaunay|delaunator|robust-predicates)/ },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': apiTarget,
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
})
