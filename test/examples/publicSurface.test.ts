// Everything the two entry points export is used by an example, so it is covered by a test through the public
// entry only: every name is written in an example, and every operation of every service shape is called in one.
import { readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import ts from "typescript"

const root = path.resolve(import.meta.dirname, "../..")
const entries = ["src/index.ts", "src/testing/index.ts"]

const parsed = (file: string) =>
  ts.createSourceFile(file, readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest)

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

interface Export {
  readonly name: string
  /** The module it comes from, relative to the root; none for a declaration of the entry itself. */
  readonly from: string | undefined
}

const exportsOf = (entry: string): ReadonlyArray<Export> =>
  parsed(entry).statements.flatMap((statement): ReadonlyArray<Export> => {
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      const specifier = statement.moduleSpecifier
      const from =
        specifier !== undefined && ts.isStringLiteral(specifier)
          ? path.join(path.dirname(entry), specifier.text.replace(/\.js$/, ".ts"))
          : undefined
      return statement.exportClause.elements.map((e) => ({ name: e.name.text, from }))
    }
    if (ts.isVariableStatement(statement) && isExported(statement)) {
      return statement.declarationList.declarations.flatMap((d) =>
        ts.isIdentifier(d.name) ? [{ name: d.name.text, from: undefined }] : [],
      )
    }
    return []
  })

/** The operations of an exported service shape (`interface …Shape`), as declared in its module. */
const operationsOf = (name: string, from: string) =>
  parsed(from)
    .statements.filter(
      (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
    )
    .flatMap((s) =>
      s.members.flatMap((m) => (m.name !== undefined && ts.isIdentifier(m.name) ? [m.name.text] : [])),
    )

const examples = readdirSync(path.join(root, "examples"), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.includes("node_modules"))
  .map((file) => readFileSync(path.join(root, "examples", file), "utf8"))
  .join("\n")

const written = (word: string) => new RegExp(`\\b${word}\\b`).test(examples)
const called = (operation: string) => new RegExp(`\\.${operation}\\b`).test(examples)

describe("the public surface", () => {
  const all = entries.flatMap(exportsOf)

  it("is found", () => {
    expect(all.map((e) => e.name)).toEqual(expect.arrayContaining(["Calls", "GatewayTest", "ScheduledCalls"]))
  })

  // A service's shape is covered by its operations, below.
  const isShape = (e: Export) => e.name.endsWith("Shape") && e.from !== undefined

  it("is written in the examples, name by name", () => {
    expect(all.filter((e) => !isShape(e) && !written(e.name)).map((e) => e.name)).toEqual([])
  })

  it("has every operation of every service called in an example", () => {
    const shapes = all.filter(isShape)
    expect(shapes.length).toBeGreaterThanOrEqual(7)
    const uncalled = shapes.flatMap((shape) =>
      operationsOf(shape.name, shape.from ?? "")
        .filter((operation) => !called(operation))
        .map((operation) => `${shape.name}.${operation}`),
    )
    expect(uncalled).toEqual([])
  })

  it("the check sees a name no example writes", () => {
    expect(written("NoExampleWritesThisName")).toBe(false)
    expect(called("noExampleCallsThis")).toBe(false)
  })
})
