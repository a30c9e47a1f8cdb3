// Once per test run: the console's build, before any browser test's gateway serves it (built here rather than in
// each browser test file, since two builds at once would replace the folder under a page that is loading); and an
// initialised embedded data folder, dumped to a file, so each test database starts in under a second instead of
// running initdb. The dump is not needed when the suite runs against a server.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { PGlite } from "@electric-sql/pglite"
import type { TestProject } from "vitest/node"
import { buildConsole } from "../../scripts/buildConsole.mjs"

export default async function setup(project: TestProject) {
  await buildConsole()
  if ((process.env.TEST_DATABASE_URL ?? "").length > 0) return
  const dir = mkdtempSync(path.join(tmpdir(), "evg-pg-snapshot-"))
  const db = await PGlite.create()
  const dump = await db.dumpDataDir("none")
  await db.close()
  const file = path.join(dir, "pgdata.tar")
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  project.provide("pgSnapshotFile", file)
  return () => rmSync(dir, { recursive: true, force: true })
}

declare module "vitest" {
  export interface ProvidedContext {
    pgSnapshotFile: string
  }
}
