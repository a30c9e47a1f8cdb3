// SMS encoding and segment count: GSM-7 when every character is in the GSM 03.38 tables, else UCS-2.
// Written here rather than taken from a library: the rule is two tables and a greedy packing, and the
// maintained npm segment calculators either pull a DOM-oriented bundle or lag behind on extension chars.

/** GSM 03.38 basic character set: one septet each. */
const gsmBasic = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
)

/** GSM 03.38 extension table: an escape plus the character, two septets each. */
const gsmExtension = new Set("^{}\\[~]|€\f")

export type SmsEncoding = "GSM-7" | "UCS-2"

export interface SmsSegmentation {
  readonly encoding: SmsEncoding
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  readonly units: number
  readonly segments: number
}

const single = { "GSM-7": 160, "UCS-2": 70 } as const
// A concatenated message spends 6 octets of each part on the user data header.
const perPart = { "GSM-7": 153, "UCS-2": 67 } as const

export const encodingOf = (body: string): SmsEncoding => {
  for (const char of body) if (!gsmBasic.has(char) && !gsmExtension.has(char)) return "UCS-2"
  return "GSM-7"
}

/** Units each character costs; a character is never split across two parts. */
const costs = (body: string, encoding: SmsEncoding): ReadonlyArray<number> =>
  Array.from(body, (char) => (encoding === "GSM-7" ? (gsmExtension.has(char) ? 2 : 1) : char.length))

/** Parts of a concatenated message, packed greedily so an escape pair or a surrogate pair stays whole. */
const parts = (charCosts: ReadonlyArray<number>, capacity: number): number => {
  let count = 1
  let used = 0
  for (const cost of charCosts) {
    if (used + cost > capacity) {
      count += 1
      used = 0
    }
    used += cost
  }
  return count
}

export const segmentSms = (body: string): SmsSegmentation => {
  const encoding = encodingOf(body)
  const charCosts = costs(body, encoding)
  const units = charCosts.reduce((a, b) => a + b, 0)
  const segments = units <= single[encoding] ? 1 : parts(charCosts, perPart[encoding])
  return { encoding, units, segments }
}

/** Exotel's `EncodingType` parameter for an encoding. */
export const exotelEncodingType = (encoding: SmsEncoding): "plain" | "unicode" =>
  encoding === "GSM-7" ? "plain" : "unicode"
