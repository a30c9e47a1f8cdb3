// The arrows of the house hold over src/: no core folder imports the HTTP layer, persistence knows no actors, a
// simulator imports none of the gateway's parts, the pure core and the contract stay pure (importGraph.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { type Edge, folderOf, importGraph, rules, specifiersOf, violations } from "./importGraph.js"

const root = path.resolve(import.meta.dirname, "../..")

describe("the import graph of src/", () => {
  const graph = importGraph(root)

  it("is read whole", () => {
    expect(graph.files.length).toBeGreaterThan(200)
    expect(graph.edges).toContainEqual({ from: "src/http/api/CallsApi.ts", to: "src/api/calls.ts" })
    expect(graph.edges).toContainEqual({ from: "src/services/Calls.ts", to: "src/api/calls.ts" })
    expect(graph.edges).toContainEqual({ from: "src/store/VoiceCallsRepo.ts", to: "src/domain/FlowState.ts" })
  })

  it("has no relative import that names no file", () => {
    expect(graph.unresolved).toEqual([])
  })

  it("keeps every rule of the house", () => {
    expect(violations(graph.edges)).toEqual([])
  })
})

describe("the rules", () => {
  const edge = (from: string, to: string): Edge => ({ from, to })

  it("report the edges that broke them before src/api", () => {
    const broken = [
      edge("src/services/Calls.ts", "src/http/api/CallsApi.ts"),
      edge("src/actors/ScheduledCallDispatcher.ts", "src/http/callbackUrls.ts"),
      edge("src/stream/StreamBridge.ts", "src/http/NodeServer.ts"),
      edge("src/testing/GatewayTest.ts", "src/http/callbackUrls.ts"),
      edge("src/store/VoiceCallsRepo.ts", "src/actors/callFlow.ts"),
      edge("src/sim/simulatedCalls.ts", "src/actors/VoiceCalls.ts"),
      edge("src/sim/exotel/InProcessSimulator.ts", "src/config/Env.ts"),
      edge("src/sim/exotel/InProcessSimulator.ts", "src/upstream/exotel/ExotelClient.ts"),
    ]
    const found = violations(broken)
    for (const e of broken) expect(found.some((v) => v.endsWith(`${e.from} → ${e.to}`))).toBe(true)
  })

  it("report every forbidden folder of every rule", () => {
    for (const rule of rules) {
      const from = "allBut" in rule.from ? "src/services/X.ts" : `src/${rule.from[0]}/X.ts`
      for (const folder of rule.forbidden) {
        const to = folder === "." ? "src/gateway.ts" : `src/${folder}/Y.ts`
        if (folderOf(from) === folderOf(to)) continue
        expect(violations([edge(from, to)], [rule])).toEqual([`${rule.name}: ${from} → ${to}`])
      }
    }
  })

  it("let the arrows the design draws stand", () => {
    const allowed = [
      edge("src/http/api/CallsApi.ts", "src/api/calls.ts"),
      edge("src/http/handlers/CallsHandlers.ts", "src/services/Calls.ts"),
      edge("src/services/Calls.ts", "src/api/calls.ts"),
      edge("src/services/Calls.ts", "src/config/callbackUrls.ts"),
      edge("src/actors/VoiceCalls.ts", "src/store/VoiceCallsRepo.ts"),
      edge("src/store/VoiceCallsRepo.ts", "src/domain/FlowState.ts"),
      edge("src/sim/exotel/ExotelSimulator.ts", "src/domain/exotel/wire.ts"),
      edge("src/gateway.ts", "src/http/Routes.ts"),
      edge("src/index.ts", "src/api/calls.ts"),
      edge("src/http/Routes.ts", "src/http/GatewayApi.ts"),
    ]
    expect(violations(allowed)).toEqual([])
  })
})

describe("reading a file's imports", () => {
  it("finds every form of specifier, and none in a comment", () => {
    const text = [
      'import { a } from "./a.js"',
      'import type { B } from "../b.js"',
      "import {",
      "  c,",
      "  type D,",
      '} from "./c.js"',
      'export { e } from "./e.js"',
      'export * from "./f.js"',
      'import "./g.js"',
      'const h = await import("./h.js")',
      '// import { x } from "./commented.js"',
      '/* export { y } from "./blocked.js" */',
      'import { Effect } from "effect"',
    ].join("\n")
    expect(specifiersOf(text)).toEqual([
      "./a.js",
      "../b.js",
      "./c.js",
      "./e.js",
      "./f.js",
      "./g.js",
      "./h.js",
      "effect",
    ])
  })

  it("finds a planted violation in a tree on disk, and an import of a file that is not there", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "import-graph-"))
    try {
      const write = (file: string, text: string) => {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
        writeFileSync(path.join(dir, file), text)
      }
      write("src/http/NodeServer.ts", "export const server = 1\n")
      write("src/stream/StreamBridge.ts", 'import { server } from "../http/NodeServer.js"\n')
      write("src/store/Repo.ts", 'import type { S } from "../actors/gone.js"\n')
      const planted = importGraph(dir)
      expect(violations(planted.edges)).toEqual([
        `${rules[0]?.name}: src/stream/StreamBridge.ts → src/http/NodeServer.ts`,
      ])
      expect(planted.unresolved).toEqual(["src/store/Repo.ts: ../actors/gone.js"])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
