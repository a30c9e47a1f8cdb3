// PGlite served on a loopback socket, so the embedded database speaks the same wire protocol as a server.
import { mkdirSync } from "node:fs"
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { Effect, Option } from "effect"

export interface EmbeddedPostgres {
  readonly url: string
  /** The data folder as it is now, in the form `snapshot` takes (queries in flight should be done). */
  readonly dump: Effect.Effect<Blob>
}

/**
 * Opens PGlite in `dataDir` (or in memory; from `snapshot`, a dumped data folder, when given — it skips the
 * seconds initdb takes), serves it on 127.0.0.1 on a free port, and closes both when the
 * scope ends. PGlite has one backend session shared by every socket connection, so the client pool on top of
 * it must hold one connection: two would interleave their transactions inside that one session.
 */
export const openEmbeddedPostgres = (
  dataDir: Option.Option<string>,
  snapshot: Option.Option<Blob> = Option.none(),
) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const dir = Option.getOrUndefined(dataDir)
        if (dir !== undefined) mkdirSync(dir, { recursive: true })
        const db = await PGlite.create({
          ...(dir === undefined ? {} : { dataDir: dir }),
          ...Option.match(snapshot, { onNone: () => ({}), onSome: (loadDataDir) => ({ loadDataDir }) }),
        })
        const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 4 })
        await server.start()
        return { db, server }
      },
      catch: (cause) => new Error(`Could not open the embedded database: ${String(cause)}`, { cause }),
    }),
    ({ db, server }) =>
      Effect.promise(async () => {
        await server.stop()
        await db.close()
      }),
  ).pipe(
    Effect.map(
      ({ db, server }): EmbeddedPostgres => ({
        url: `postgresql://postgres@${server.getServerConn()}/postgres`,
        dump: Effect.promise(() => db.dumpDataDir("none")),
      }),
    ),
    Effect.orDie,
  )
