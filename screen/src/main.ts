import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { setupI18n } from './i18n/index.ts'
import { createAppRouter } from './router/index.ts'

const app = createApp(App)
app.use(createPinia())
app.use(setupI18n())
app.use(createAppRouter())
app.config.errorHandler = (error, _instance, info) => {
  // Logged, never fatal: the wall must not turn into a white page.
  console.error(`screen error (${info})`, error)
}
app.mount('#app')
