// Whether this Node is one package.json's `engines` names. npm only warns on a mismatch and `npm start` would
// go on to fail somewhere obscure, so start checks first and says which lines are supported.
import { readFileSync } from "node:fs"

const parts = (version) => version.replace(/^v/, "").split(".").map(Number)

/** `^A.B` (A.B or later within major A) alternatives joined by `||`: the only form our `engines` uses. */
export const satisfies = (range, version) => {
  const [major, minor = 0] = parts(version)
  return range.split("||").some((alternative) => {
    const match = /^\s*\^(\d+)(?:\.(\d+))?\s*$/.exec(alternative)
    if (match === null) throw new Error(`engines range not understood: ${alternative.trim()}`)
    return major === Number(match[1]) && minor >= Number(match[2] ?? 0)
  })
}

export const checkNode = (packageJsonPath) => {
  const range = JSON.parse(readFileSync(packageJsonPath, "utf8")).engines.node
  if (!satisfies(range, process.version)) {
    console.error(
      `Node ${process.version} is not supported: this gateway runs on Node ${range} (engines in package.json).`,
    )
    process.exit(1)
  }
}
