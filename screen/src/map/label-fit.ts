/** The plate of a name on the map, as `layers/village-labels.ts` styles it: padding each side, letter spacing, line height. */
export const LABEL_PLATE = { padPx: 6, spacingPx: 1, lineHeight: 1.15, extraPx: 3 } as const

/**
 * Whether a name of `chars` CJK characters (one em wide each) at `px`, drawn centred with its bottom
 * `lift` px above the point (x, y), lies wholly inside a view of `width` × `height` CSS px. A name cut
 * by the map's edge reads from 5 m as a fragment (三 of 三淹桥村, 道 of 道人山村): it is left out instead.
 */
export function labelFits(x: number, y: number, chars: number, px: number, width: number, height: number, lift = 6): boolean {
  const half = (chars * (px + LABEL_PLATE.spacingPx) + 2 * LABEL_PLATE.padPx) / 2
  const tall = Math.ceil(px * LABEL_PLATE.lineHeight) + LABEL_PLATE.extraPx
  return x - half >= 0 && x + half <= width && y - lift - tall >= 0 && y - lift <= height
}
