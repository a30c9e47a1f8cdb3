// The examples are consumers: they may import the gateway only by its package name, never a file of src/.
import { readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"

const examples = path.resolve(import.meta.dirname, "../../examples")

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full)
    return /\.(ts|mts|tsx)$/.test(entry.name) ? [full] : []
  })

const specifiers = (text: string) =>
  [...text.matchAll(/(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? "",
  )

/** What an example may import: the gateway's entry points, Effect, Node, and its own files. */
const allowed = (specifier: string, file: string) => {
  if (specifier === "exotel-voice-gateway" || specifier === "exotel-voice-gateway/testing") return true
  if (specifier.startsWith("node:") || specifier === "effect" || specifier.startsWith("@effect/")) return true
  if (specifier.startsWith(".")) return path.resolve(path.dirname(file), specifier).startsWith(examples)
  return false
}

describe("examples", () => {
  const files = sourceFiles(examples).filter((f) => !f.endsWith(".d.ts"))

  it("exist", () => {
    expect(files.length).toBeGreaterThan(0)
  })

  it("import the gateway only through its public entry points", () => {
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(file, "utf8"))
        .filter((s) => !allowed(s, file))
        .map((s) => `${path.relative(examples, file)}: ${s}`),
    )
    expect(offending).toEqual([])
  })

  it("the rule refuses a reach into src/ and an unknown package", () => {
    const file = path.join(examples, "order-service", "OrderService.ts")
    expect(allowed("../../src/actors/VoiceCalls.js", file)).toBe(false)
    expect(allowed("exotel-voice-gateway/src/index.js", file)).toBe(false)
    expect(allowed("./OrderService.js", file)).toBe(true)
  })
})
