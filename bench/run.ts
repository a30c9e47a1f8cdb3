// `npm run bench`: every benchmark, each printing its figures next to a baseline measured in the same run.
// `npm run bench -- startup` runs one by name.
import { runStartupBench } from "./startup.js"

const benches: Record<string, () => Promise<void>> = {
  startup: () => runStartupBench(),
}

const chosen = process.argv.slice(2).filter((name) => !name.startsWith("-"))
for (const name of chosen.length > 0 ? chosen : Object.keys(benches)) {
  const bench = benches[name]
  if (bench === undefined) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(", ")}`)
    process.exitCode = 2
    continue
  }
  await bench()
}
