/** A binary min-heap of (key, value) pairs with lazy deletion, on plain arrays. */
export class MinHeap {
  private keys: number[] = []
  private values: number[] = []

  get size(): number {
    return this.keys.length
  }

  push(key: number, value: number): void {
    const { keys, values } = this
    let i = keys.length
    keys.push(key)
    values.push(value)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent]! <= key)
        break
      keys[i] = keys[parent]!
      values[i] = values[parent]!
      i = parent
    }
    keys[i] = key
    values[i] = value
  }

  /** Removes the smallest pair and returns its value; read `lastKey` for its key. */
  pop(): number {
    const { keys, values } = this
    const top = values[0]!
    this.lastKey = keys[0]!
    const key = keys.pop()!
    const value = values.pop()!
    const n = keys.length
    if (n > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= n)
          break
        const r = l + 1
        const c = r < n && keys[r]! < keys[l]! ? r : l
        if (keys[c]! >= key)
          break
        keys[i] = keys[c]!
        values[i] = values[c]!
        i = c
      }
      keys[i] = key
      values[i] = value
    }
    return top
  }

  lastKey = 0
}
