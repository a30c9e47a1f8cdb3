// `npm run bench`: every benchmark, one after the other, each a script of its own that reports its figures next
// to a baseline measured in the same run (support.ts's `report`). `npm run bench -- startup smsSend` runs those
// by name. The rows of the benchmarks run now replace their last run's in bench/results.json, the others' are
// kept, and the whole table is written to bench/results.md, into docs/benchmarks.md, and to stdout.
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { decodeResults, decodeRun, merge, type Results, type Run, table } from "./results.js"
import { reportFileVariable, root } from "./support.js"

const benches = [
  "startup",
  "smsSend",
  "voiceStream",
  "dispatch",
  "stats",
  "testLayer",
  "inboundLimits",
  "rateBudget",
] as const

const resultsJson = path.join(root, "bench", "results.json")
const resultsMd = path.join(root, "bench", "results.md")
const docs = path.join(root, "docs", "benchmarks.md")
// docs/benchmarks.md holds the table between these two lines.
const tableStart = "<!-- bench/results.md: written by npm run bench -->"
const tableEnd = "<!-- end of bench/results.md -->"

const chosen = process.argv.slice(2).filter((name) => !name.startsWith("-"))
const unknown = chosen.filter((name) => !benches.some((known) => known === name))
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(", ")}; known: ${benches.join(", ")}`)
  process.exit(2)
}

const reports = mkdtempSync(path.join(tmpdir(), "evg-bench-reports-"))
const latest: Record<string, Run> = {}
for (const name of chosen.length > 0 ? chosen : benches) {
  console.log(`\n# ${name}`)
  const file = path.join(reports, `${name}.json`)
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join("bench", `${name}.ts`)], {
    cwd: root,
    env: { ...process.env, [reportFileVariable]: file },
    stdio: "inherit",
  })
  if (result.status !== 0) process.exitCode = result.status ?? 1
  if (existsSync(file)) latest[name] = decodeRun(readFileSync(file, "utf8"))
  else console.error(`${name} reported no rows; the table keeps its last run's`)
}
rmSync(reports, { recursive: true, force: true })

const previous: Results = existsSync(resultsJson) ? decodeResults(readFileSync(resultsJson, "utf8")) : {}
const results = merge(benches, previous, latest)
const markdown = table(results)
writeFileSync(resultsJson, `${JSON.stringify(results, null, 2)}\n`)
writeFileSync(
  resultsMd,
  `# Benchmark results\n\nWritten by \`npm run bench\` from bench/results.json; see docs/benchmarks.md.\n\n${markdown}\n`,
)

const page = readFileSync(docs, "utf8")
const start = page.indexOf(tableStart)
const end = page.indexOf(tableEnd)
if (start >= 0 && end > start)
  writeFileSync(docs, `${page.slice(0, start + tableStart.length)}\n\n${markdown}\n\n${page.slice(end)}`)
else console.error(`${docs} has no ${tableStart} … ${tableEnd}; the table is in ${resultsMd}`)

console.log(`\n${markdown}`)
