// `npm run build`: the screen (Vite) and the server (esbuild), each stamped, so that a later `npm start`
// runs this build instead of building again.
import { buildServer } from './build-server.mjs'
import { buildScreen } from './build-screen.mjs'

await buildScreen()
await buildServer()
