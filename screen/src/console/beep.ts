let context: AudioContext | undefined

/** A short two-tone beep through WebAudio (no sound files); silent where audio is unavailable. */
export function beep(): void {
  try {
    context ??= new AudioContext()
    const start = context.currentTime
    for (const [i, frequency] of [880, 1320].entries()) {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      oscillator.frequency.value = frequency
      gain.gain.setValueAtTime(0.0001, start + i * 0.18)
      gain.gain.exponentialRampToValueAtTime(0.25, start + i * 0.18 + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.18 + 0.16)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(start + i * 0.18)
      oscillator.stop(start + i * 0.18 + 0.17)
    }
  }
  catch {
    // No audio device or autoplay refused: the row highlight still announces the case.
  }
}
