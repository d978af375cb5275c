// The benchmark's baseline: the product with one emit per change instead of ~100 ms frames (what a
// naive server does), to measure the CPU that framing saves. Never part of the product's own start.
import { runProduct } from '../../server/src/run.ts'

await runProduct({ hub: { batch: false } })
