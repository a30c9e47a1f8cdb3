// `npm start`: bundles src/ into dist/ when a source changed since the last bundle, then runs it in this
// process. A bundle loads in a fraction of the time of hundreds of ESM modules compiled on the fly, which is
// most of a restart. It is split at launch.ts's dynamic import, so the small first chunk can set the embedded
// database opening on its thread while the large one compiles. PGlite stays external: it finds its WASM next to
// its own module, and the database thread's script (embeddedPostgresWorker.mjs) sits next to the bundle, as does
// the speech threads' (espeakWorker.mjs).
import { readdirSync, rmSync, statSync } from "node:fs"
import path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { buildConsole } from "./buildConsole.mjs"
import { checkNode } from "./nodeVersion.mjs"

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
checkNode(path.join(root, "package.json"))
// Named, so that both land at the top of dist/, where launch's chunks look for the worker's script.
const entries = {
  launch: path.join(root, "src", "launch.ts"),
  embeddedPostgresWorker: path.join(root, "src", "store", "embeddedPostgresWorker.mjs"),
  espeakWorker: path.join(root, "src", "stream", "speech", "espeakWorker.mjs"),
}
// Its own folder (dist/lib is the library's), emptied before each build so old chunks do not pile up.
const outdir = path.join(root, "dist", "app")
const bundle = path.join(outdir, "launch.mjs")

const newestSource = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, item) => {
    const full = path.join(dir, item.name)
    return Math.max(newest, item.isDirectory() ? newestSource(full) : statSync(full).mtimeMs)
  }, 0)

const bundleTime = () => {
  try {
    return statSync(bundle).mtimeMs
  } catch {
    return 0
  }
}

// This script too: a change to how the bundle is built must rebuild it.
const inputs = [path.join(root, "src"), path.join(root, "package-lock.json"), fileURLToPath(import.meta.url)]
const newest = Math.max(
  ...inputs.map((p) => (statSync(p).isDirectory() ? newestSource(p) : statSync(p).mtimeMs)),
)

if (newest > bundleTime()) {
  const { build } = await import("esbuild")
  rmSync(outdir, { recursive: true, force: true })
  await build({
    entryPoints: entries,
    outdir,
    outExtension: { ".js": ".mjs" },
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    minifyWhitespace: true,
    minifySyntax: true,
    // eSpeak NG and the resampler stay external too: each finds its data or WASM file next to its own module.
    external: ["@electric-sql/*", "@echogarden/*", "pg-native"],
    // Bundled CommonJS dependencies call require; ESM output has none of its own. The import is renamed: a
    // bundled ES module that imports createRequire itself (msgpackr, under @effect/cluster) lands in the same
    // chunk's top-level scope, which the banner is not part of, so esbuild cannot rename around it.
    banner: {
      js: "import { createRequire as bannerCreateRequire } from 'node:module'; const require = bannerCreateRequire(import.meta.url);",
    },
    logLevel: "warning",
    // sentiment can require any of its languages by name; the gateway uses only its English one, which it
    // requires statically.
    logOverride: { "empty-glob": "silent" },
  })
}

// The console (console/) is built apart: a browser bundle, served by the gateway at /console.
await buildConsole()

await import(pathToFileURL(bundle).href)
