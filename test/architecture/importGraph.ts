// The import graph of src/ and the house's rules over it (../shared/DESIGN.md, docs/architecture.md): which
// folder of src/ may not import which. Reads the files as text; a relative specifier is resolved the way the
// compiler resolves it (".js" names the ".ts" beside it), and one that resolves to no file is an edge to
// nowhere, reported as such, so a rename cannot hide an edge from the rules.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import path from "node:path"

/** One import of one file of src/ by another, both as paths relative to the repository, with "/" separators. */
export interface Edge {
  readonly from: string
  readonly to: string
}

export interface Rule {
  readonly name: string
  /** The importing files' folders under src/ ("services", "sim", …), or every folder but the ones named. */
  readonly from: ReadonlyArray<string> | { readonly allBut: ReadonlyArray<string> }
  /** The folders they may not import; "." is the files at the top of src/ (the composition). */
  readonly forbidden: ReadonlyArray<string>
}

export const rules: ReadonlyArray<Rule> = [
  {
    name: "the core knows no transport: only the composition (the files at the top of src/) imports src/http",
    from: { allBut: ["."] },
    forbidden: ["http"],
  },
  {
    name: "persistence knows no actors or services",
    from: ["store"],
    forbidden: ["actors", "services"],
  },
  {
    name: "a simulator is a peer over the network, not a caller of the gateway's parts",
    from: ["sim"],
    forbidden: ["actors", "services", "http", "store", "config", "upstream", "testing", "."],
  },
  {
    name: "the pure core (domain, policy) imports nothing but itself",
    from: ["domain", "policy"],
    forbidden: [
      "actors",
      "services",
      "http",
      "stream",
      "store",
      "sim",
      "config",
      "upstream",
      "testing",
      "api",
      ".",
    ],
  },
  {
    name: "the cluster (src/cluster) is where work runs, not what it does: it knows no actors or services",
    from: ["cluster"],
    forbidden: ["actors", "services", "http", "stream", "sim", "upstream", "api", "testing", "."],
  },
  {
    name: "the contract (src/api) is schemas over the domain, used by http, services and the library",
    from: ["api"],
    forbidden: ["actors", "services", "http", "stream", "store", "sim", "config", "upstream", "testing", "."],
  },
]

/** The folder of a file under src/: its first segment, or "." for a file at the top of src/. */
export const folderOf = (file: string): string => {
  const rest = file.replace(/^src\//, "")
  const slash = rest.indexOf("/")
  return slash === -1 ? "." : rest.slice(0, slash)
}

/** Comments removed, so that a comment naming a module is no edge. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")

/** Every module specifier of a file: `import … from`, `export … from`, `import "…"` and `import("…")`. */
export const specifiersOf = (text: string): ReadonlyArray<string> =>
  [
    ...withoutComments(text).matchAll(
      /\b(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? "")

const sourceExtensions = /\.(ts|mts|mjs)$/

const filesUnder = (root: string, dir: string): ReadonlyArray<string> =>
  readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`
    if (entry.isDirectory()) return filesUnder(root, relative)
    return sourceExtensions.test(entry.name) && !entry.name.endsWith(".d.ts") ? [relative] : []
  })

/** The file a relative specifier names, as the compiler finds it; undefined when there is none. */
const resolveSpecifier = (root: string, from: string, specifier: string): string | undefined => {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier))
  const candidates = [
    base.replace(/\.js$/, ".ts"),
    base.replace(/\.mjs$/, ".mts"),
    base,
    `${base}.ts`,
    `${base}/index.ts`,
  ]
  return candidates.find((candidate) => {
    const full = path.join(root, candidate)
    return existsSync(full) && statSync(full).isFile()
  })
}

export interface Graph {
  readonly files: ReadonlyArray<string>
  readonly edges: ReadonlyArray<Edge>
  /** Relative specifiers that name no file: "from: specifier". */
  readonly unresolved: ReadonlyArray<string>
}

/** The graph of src/ under `root` (the repository): the edges between its own files; packages are left out. */
export const importGraph = (root: string): Graph => {
  const files = filesUnder(root, "src")
  const edges: Array<Edge> = []
  const unresolved: Array<string> = []
  for (const from of files) {
    for (const specifier of specifiersOf(readFileSync(path.join(root, from), "utf8"))) {
      if (!specifier.startsWith(".")) continue
      const to = resolveSpecifier(root, from, specifier)
      if (to === undefined) unresolved.push(`${from}: ${specifier}`)
      else edges.push({ from, to })
    }
  }
  return { files, edges, unresolved }
}

const within = (file: string) => file.startsWith("src/")

const applies = (rule: Rule, folder: string) =>
  "allBut" in rule.from ? !rule.from.allBut.includes(folder) : rule.from.includes(folder)

/** The edges that break a rule, each as "rule: from → to". */
export const violations = (edges: ReadonlyArray<Edge>, against: ReadonlyArray<Rule> = rules) =>
  against.flatMap((rule) =>
    edges
      .filter(
        (edge) =>
          within(edge.from) &&
          within(edge.to) &&
          applies(rule, folderOf(edge.from)) &&
          folderOf(edge.from) !== folderOf(edge.to) &&
          rule.forbidden.includes(folderOf(edge.to)),
      )
      .map((edge) => `${rule.name}: ${edge.from} → ${edge.to}`),
  )
