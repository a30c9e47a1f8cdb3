// The embedded data folder every GatewayTest database starts from: initialised and migrated. PostgreSQL's initdb,
// inside PGlite, takes seconds (more on a loaded machine) and the migrations most of another; loading a dump of
// their result takes about one. The dump is made once per process, when first asked for, and kept in the OS's
// temporary folder for later processes, named by what it depends on: the PGlite version (a dump is only good
// for the PGlite that wrote it) and the migrations' sources.
import { createHash, randomBytes } from "node:crypto"
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Layer, Option } from "effect"
import { embeddedClientLayer } from "../store/Database.js"
import { openEmbeddedPostgres } from "../store/EmbeddedPostgres.js"
import { MigrationsLive } from "../store/Migrations.js"

const pglitePackage = "@electric-sql/pglite"

const isNamed = (manifest: unknown, name: string): manifest is { readonly version: string } =>
  typeof manifest === "object" &&
  manifest !== null &&
  "name" in manifest &&
  manifest.name === name &&
  "version" in manifest &&
  typeof manifest.version === "string"

/** PGlite's version, from its package.json (found from its entry file: its `exports` do not list it). */
const pgliteVersion = () => {
  let dir = path.dirname(createRequire(import.meta.url).resolve(pglitePackage))
  while (dir !== path.dirname(dir)) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"))
      if (isNamed(manifest, pglitePackage)) return manifest.version
    } catch {
      // No package.json here: look one folder up.
    }
    dir = path.dirname(dir)
  }
  return undefined
}

/**
 * A digest of every file of the migrations folder and of the registry that lists them (Migrations.ts or .js), next
 * to this one in the sources and in the build: a migration written but not yet listed makes another dump.
 */
const migrationsDigest = () => {
  try {
    const folder = fileURLToPath(new URL("../store/migrations/", import.meta.url))
    const store = fileURLToPath(new URL("../store/", import.meta.url))
    const registry = readdirSync(store)
      .filter((name) => /^Migrations\.(ts|js)$/.test(name))
      .map((name) => path.join(store, name))
    const hash = createHash("sha256")
    for (const file of [
      ...readdirSync(folder)
        .sort()
        .map((name) => path.join(folder, name)),
      ...registry,
    ]) {
      hash.update(path.basename(file)).update("\0").update(readFileSync(file)).update("\0")
    }
    return hash.digest("hex").slice(0, 16)
  } catch {
    return undefined
  }
}

/** Where the dump is kept between processes; none when what it depends on cannot be told. */
export const snapshotFile = (): string | undefined => {
  const version = pgliteVersion()
  const migrations = migrationsDigest()
  return version === undefined || migrations === undefined
    ? undefined
    : path.join(tmpdir(), `exotel-voice-gateway-pgdata-${version}-${migrations}.tar`)
}

const readDump = (file: string) => {
  try {
    const bytes = readFileSync(file)
    return bytes.length > 0 ? new Blob([bytes]) : undefined
  } catch {
    return undefined
  }
}

/** A fresh in-memory database, migrated, dumped. */
const makeDump = Effect.scoped(
  Effect.gen(function* () {
    const embedded = yield* openEmbeddedPostgres(Option.none())
    yield* Effect.scoped(Layer.build(MigrationsLive.pipe(Layer.provide(embeddedClientLayer(embedded)))))
    return yield* embedded.dump
  }),
)

// Written aside, then renamed: a process reading the file sees a whole dump or none, and of two processes that
// both made one, either's stays. A folder we may not write to costs the next process a dump of its own.
const keep = (file: string, dump: Blob) =>
  Effect.promise(async () => {
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.partial`
    try {
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
      renameSync(partial, file)
    } catch {
      rmSync(partial, { force: true })
    }
  })

const readOrMake = Effect.suspend(() => {
  const file = snapshotFile()
  const kept = file === undefined ? undefined : readDump(file)
  if (kept !== undefined) return Effect.succeed(kept)
  return Effect.tap(makeDump, (dump) => (file === undefined ? Effect.void : keep(file, dump)))
})

let shared: Promise<Blob> | undefined

/** The dump, read or made on the first call; every later call in the process gets the same one. */
export const initialisedDataFolder: Effect.Effect<Blob> = Effect.promise(() => {
  shared ??= Effect.runPromise(readOrMake).catch((error: unknown) => {
    // The next caller tries again rather than inherit this failure.
    shared = undefined
    throw error
  })
  return shared
})
