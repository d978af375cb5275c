import { inflateSync } from 'node:zlib'

/**
 * The text of each page of a PDF as Chromium (Skia) writes it: objects read, Flate streams inflated,
 * each font's ToUnicode map applied to the strings its page shows (`Tj`, `TJ`), Form XObjects
 * followed. Enough to read back what a printed page says (its words, its page number) in a test,
 * without a PDF library; not a general PDF parser.
 */

interface PdfObject {
  dict: string
  stream: Buffer | null
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1')
  const objects = new Map<number, PdfObject>()
  const header = /(\d+) 0 obj\s*/g
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const start = match.index + match[0].length
    const end = text.indexOf('endobj', start)
    if (end < 0)
      break
    const body = text.slice(start, end)
    const at = body.search(/stream\r?\n/)
    let stream: Buffer | null = null
    let dict = body
    if (at >= 0) {
      dict = body.slice(0, at)
      const dataStart = start + at + (body[at + 6] === '\r' ? 8 : 7)
      const dataEnd = text.lastIndexOf('endstream', end)
      const raw = pdf.subarray(dataStart, dataEnd)
      try {
        stream = /FlateDecode/.test(dict) ? inflateSync(raw) : raw
      }
      catch {
        stream = raw
      }
    }
    objects.set(Number(match[1]), { dict, stream })
    header.lastIndex = end
  }
  return objects
}

/** A ToUnicode CMap: code (hex, as written) → text. */
function readCMap(source: string): { map: Map<string, string>, bytes: number } {
  const map = new Map<string, string>()
  const range = /<([0-9a-f]+)>\s*<[0-9a-f]+>/i.exec(source.slice(source.indexOf('begincodespacerange')))
  const bytes = range ? range[1]!.length / 2 : 2
  const unicode = (hex: string): string => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map(h => Number.parseInt(h, 16)))
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi))
      map.set(m[1]!.toUpperCase(), unicode(m[2]!))
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) {
      const [from, to, first] = [Number.parseInt(m[1]!, 16), Number.parseInt(m[2]!, 16), Number.parseInt(m[3]!, 16)]
      for (let code = from; code <= to; code++)
        map.set(code.toString(16).toUpperCase().padStart(m[1]!.length, '0'), String.fromCodePoint(first + code - from))
    }
  }
  return { map, bytes }
}

/** `/Name N 0 R` pairs of a resource sub-dictionary (`/Font`, `/XObject`), inline or referenced. */
function resourceRefs(dict: string, kind: 'Font' | 'XObject', objects: Map<number, PdfObject>): Map<string, number> {
  let resources = dict
  const indirect = /\/Resources\s+(\d+) 0 R/.exec(dict)
  if (indirect)
    resources = objects.get(Number(indirect[1]))?.dict ?? ''
  const out = new Map<string, number>()
  const inline = new RegExp(`/${kind}\\s*<<([^>]*)>>`).exec(resources)
  const referenced = new RegExp(`/${kind}\\s+(\\d+) 0 R`).exec(resources)
  const entries = inline ? inline[1]! : referenced ? objects.get(Number(referenced[1]))?.dict ?? '' : ''
  for (const m of entries.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g))
    out.set(m[1]!, Number(m[2]))
  return out
}

function showText(content: string, fonts: Map<string, { map: Map<string, string>, bytes: number }>, forms: (name: string) => string): string {
  let font: { map: Map<string, string>, bytes: number } | undefined
  let out = ''
  const decode = (hex: string): string => {
    if (!font)
      return ''
    const size = font.bytes * 2
    let s = ''
    for (let i = 0; i + size <= hex.length; i += size)
      s += font.map.get(hex.slice(i, i + size).toUpperCase()) ?? ''
    return s
  }
  const token = /\/([\w.+-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ|\/([\w.+-]+)\s+Do|(ET)/g
  for (const m of content.matchAll(token)) {
    if (m[1])
      font = fonts.get(m[1])
    else if (m[2] !== undefined)
      out += decode(m[2])
    else if (m[3] !== undefined)
      out += [...m[3].matchAll(/<([0-9a-fA-F]*)>/g)].map(h => decode(h[1]!)).join('')
    else if (m[4])
      out += forms(m[4])
    else if (m[5])
      out += ' '
  }
  return out
}

/** Each page's text, in page order. */
export function pdfPagesText(pdf: Buffer): string[] {
  const objects = readObjects(pdf)
  const cmaps = new Map<number, { map: Map<string, string>, bytes: number }>()
  const fontsOf = (dict: string): Map<string, { map: Map<string, string>, bytes: number }> => {
    const fonts = new Map<string, { map: Map<string, string>, bytes: number }>()
    for (const [name, ref] of resourceRefs(dict, 'Font', objects)) {
      const toUnicode = /\/ToUnicode\s+(\d+) 0 R/.exec(objects.get(ref)?.dict ?? '')
      if (!toUnicode)
        continue
      const id = Number(toUnicode[1])
      if (!cmaps.has(id))
        cmaps.set(id, readCMap(objects.get(id)?.stream?.toString('latin1') ?? ''))
      fonts.set(name, cmaps.get(id)!)
    }
    return fonts
  }
  const render = (dict: string, content: string, depth: number): string => {
    const xobjects = resourceRefs(dict, 'XObject', objects)
    return showText(content, fontsOf(dict), (name) => {
      const form = objects.get(xobjects.get(name) ?? -1)
      return form && depth < 8 && /\/Subtype\s*\/Form/.test(form.dict) ? render(form.dict, form.stream?.toString('latin1') ?? '', depth + 1) : ''
    })
  }
  // Pages in the order of the page tree's /Kids.
  const kids = [...objects.values()].filter(o => /\/Type\s*\/Pages/.test(o.dict)).flatMap(o => [.../\/Kids\s*\[([^\]]*)\]/.exec(o.dict)?.[1]?.matchAll(/(\d+) 0 R/g) ?? []].map(m => Number(m[1])))
  const pages = kids.filter(id => /\/Type\s*\/Page(?![s\w])/.test(objects.get(id)?.dict ?? ''))
  return pages.map((id) => {
    const page = objects.get(id)!
    const contents = /\/Contents\s+(\d+) 0 R/.exec(page.dict)
    return render(page.dict, objects.get(Number(contents?.[1]))?.stream?.toString('latin1') ?? '', 0).replace(/\s+/g, ' ').trim()
  })
}
