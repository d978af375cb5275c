/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'

  const component: DefineComponent<object, object, unknown>
  export default component
}

/** Set by vite.config.ts: where Cesium's static assets are served. */
declare const CESIUM_BASE_URL: string
