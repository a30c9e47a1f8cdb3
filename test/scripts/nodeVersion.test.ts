// npm start refuses a Node that package.json's engines does not name, and the README names the same lines.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { satisfies } from "../../scripts/nodeVersion.mjs"

const engines: string = JSON.parse(readFileSync("package.json", "utf8")).engines.node

describe("the supported Node versions", () => {
  it("are the LTS lines 22 and 24, and the machine's 20", () => {
    expect(satisfies(engines, "v22.12.0")).toBe(true)
    expect(satisfies(engines, "v24.22.3")).toBe(true)
    expect(satisfies(engines, "v20.20.2")).toBe(true)
    expect(satisfies(engines, "v22.11.0")).toBe(false)
    expect(satisfies(engines, "v18.20.0")).toBe(false)
    expect(satisfies(engines, "v21.7.0")).toBe(false)
    expect(satisfies(engines, "v23.0.0")).toBe(false)
  })

  it("include the Node running this test", () => {
    expect(satisfies(engines, process.version)).toBe(true)
  })

  it("are the ones the README names", () => {
    const readme = readFileSync("README.md", "utf8")
    const line = readme.split("\n").find((l) => l.startsWith("Node: ")) ?? ""
    for (const major of engines.match(/\^(\d+)/g) ?? []) expect(line + readme).toContain(major.slice(1))
    expect(line).toContain("22 and 24")
  })
})
