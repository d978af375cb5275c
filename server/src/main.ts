// The production entry: the product on the township's database (DATABASE_URL) or on the embedded one
// as it is. The demo (`mock/demo.ts`, what `npm start` runs without DATABASE_URL) seeds and simulates.
import { runProduct } from './run.ts'

await runProduct()
