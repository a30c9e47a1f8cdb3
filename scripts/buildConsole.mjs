// Builds the operations console (console/: Preact, bundled by esbuild) into dist/console, which the gateway serves at
// /console, when one of its sources changed since the last build. `npm start` calls it; so does the test run's
// global setup, before the browser tests. Run on its own (`node scripts/buildConsole.mjs`), it builds and prints
// the assets' gzipped size.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs"
import path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { gzipSync } from "node:zlib"

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const sources = path.join(root, "console")
export const consoleOutdir = path.join(root, "dist", "console")
const stamp = path.join(consoleOutdir, "app.js")

const newestSource = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, item) => {
    const full = path.join(dir, item.name)
    return Math.max(newest, item.isDirectory() ? newestSource(full) : statSync(full).mtimeMs)
  }, 0)

const builtAt = () => {
  try {
    return statSync(stamp).mtimeMs
  } catch {
    return 0
  }
}

/** Every built file's size, raw and gzipped, in bytes. */
export const consoleAssetSizes = () =>
  readdirSync(consoleOutdir)
    .filter((name) => !name.endsWith(".map"))
    .map((name) => {
      const bytes = readFileSync(path.join(consoleOutdir, name))
      return { name, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length }
    })

/** Builds when a source is newer than the last build; true when it built. */
export const buildConsole = async () => {
  const newest = Math.max(newestSource(sources), statSync(path.join(root, "package-lock.json")).mtimeMs)
  if (newest <= builtAt()) return false
  const { build } = await import("esbuild")
  // Built aside and moved into place: several gateways of a test run may start, and build, at once.
  const staging = `${consoleOutdir}.${process.pid}`
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  copyFileSync(path.join(sources, "index.html"), path.join(staging, "index.html"))
  await build({
    entryPoints: { app: path.join(sources, "src", "main.tsx") },
    outdir: staging,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox115", "safari16"],
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    sourcemap: true,
    logLevel: "warning",
  })
  rmSync(consoleOutdir, { recursive: true, force: true })
  try {
    renameSync(staging, consoleOutdir)
  } catch {
    // Another build of the same sources moved its folder in first.
    rmSync(staging, { recursive: true, force: true })
  }
  return true
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await buildConsole()
  const sizes = consoleAssetSizes()
  for (const { name, bytes, gzipBytes } of sizes) console.log(`${name}: ${bytes} B, ${gzipBytes} B gzipped`)
  console.log(`total: ${sizes.reduce((sum, s) => sum + s.gzipBytes, 0)} B gzipped`)
}
