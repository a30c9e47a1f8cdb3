// Input refused before anything decodes it: JSON nested deeper than the limit (the parser and every recursive
// walk after it would pay for it, or overflow the stack), and NUL characters, which no text column takes
// (PostgreSQL refuses them) and no field of ours means. Pure: text in, the problem found out.

export type JsonTextShape =
  | { readonly _tag: "Plain" }
  | { readonly _tag: "TooDeep" }
  /** A `\u0000` escape inside a string: which field it is in needs the parsed value (nulField). */
  | { readonly _tag: "HasNul" }

const openers = new Set([0x5b, 0x7b]) // [ {
const closers = new Set([0x5d, 0x7d]) // ] }
const quote = 0x22
const backslash = 0x5c

/** One pass over the text, the way a JSON parser would see its strings, counting depth outside them. */
export const jsonTextShape = (text: string, depthLimit: number): JsonTextShape => {
  let depth = 0
  let inString = false
  let nul = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === backslash) {
        if (text.startsWith("u0000", i + 1)) nul = true
        i++
      } else if (c === quote) inString = false
    } else if (c === quote) inString = true
    else if (openers.has(c)) {
      if (++depth > depthLimit) return { _tag: "TooDeep" }
    } else if (closers.has(c)) depth--
  }
  return nul ? { _tag: "HasNul" } : { _tag: "Plain" }
}

const hasNul = (s: string) => s.includes("\u0000")

/** The path of the first key or string holding a NUL, in a value no deeper than the depth limit. */
export const nulField = (value: unknown): ReadonlyArray<string> | undefined => {
  if (typeof value === "string") return hasNul(value) ? [] : undefined
  if (typeof value !== "object" || value === null) return undefined
  for (const [key, item] of Object.entries(value)) {
    if (hasNul(key)) return [key]
    const inner = nulField(item)
    if (inner !== undefined) return [key, ...inner]
  }
  return undefined
}

/** The first name or value holding a NUL among decoded parameters (path, query or form fields). */
export const nulParameter = (
  entries: Iterable<readonly [string, string | undefined]>,
): string | undefined => {
  for (const [name, value] of entries) {
    if (hasNul(name) || (value !== undefined && hasNul(value))) return name
  }
  return undefined
}

export const nulMessage = (field: string) => `${field}: must not contain NUL (\\u0000) characters`
