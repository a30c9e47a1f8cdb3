// `npm run bench`: every benchmark, one after the other, each a script of its own that prints its figures
// next to a baseline measured in the same run. `npm run bench -- startup smsSend` runs those by name.
import { spawnSync } from "node:child_process"
import path from "node:path"
import { root } from "./support.js"

const benches = [
  "startup",
  "smsSend",
  "voiceStream",
  "dispatch",
  "stats",
  "testLayer",
  "inboundLimits",
] as const

const chosen = process.argv.slice(2).filter((name) => !name.startsWith("-"))
for (const name of chosen.length > 0 ? chosen : benches) {
  if (!benches.some((known) => known === name)) {
    console.error(`unknown benchmark ${name}; known: ${benches.join(", ")}`)
    process.exitCode = 2
    continue
  }
  console.log(`\n# ${name}`)
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join("bench", `${name}.ts`)], {
    cwd: root,
    stdio: "inherit",
  })
  if (result.status !== 0) process.exitCode = result.status ?? 1
}
