// PGlite served on a loopback socket from its own thread, so the embedded database speaks the same wire
// protocol as a server and its queries never hold up the gateway's event loop.
import { Effect, Option } from "effect"
import { startEmbeddedPostgres, takeEarly } from "./embeddedPostgresThread.js"

export interface EmbeddedPostgres {
  readonly url: string
  /** The data folder as it is now, in the form `snapshot` takes (queries in flight should be done). */
  readonly dump: Effect.Effect<Blob>
}

/**
 * Opens PGlite in `dataDir` (or in memory; from `snapshot`, a dumped data folder, when given — it skips the
 * seconds initdb takes), serves it on 127.0.0.1 on a free port, and closes both when the scope ends. A data
 * folder main.ts already started opening is taken over rather than opened twice. PGlite has one backend session
 * shared by every socket connection, so the client pool on top of it must hold one connection: two would
 * interleave their transactions inside that one session.
 */
export const openEmbeddedPostgres = (
  dataDir: Option.Option<string>,
  snapshot: Option.Option<Blob> = Option.none(),
) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const dir = Option.getOrNull(dataDir)
        const thread =
          (dir === null ? undefined : takeEarly(dir)) ??
          startEmbeddedPostgres({
            dataDir: dir,
            snapshot: Option.isSome(snapshot) ? await snapshot.value.arrayBuffer() : null,
          })
        return { thread, url: await thread.url }
      },
      catch: (cause) => new Error(`Could not open the embedded database: ${String(cause)}`, { cause }),
    }),
    ({ thread }) => Effect.promise(() => thread.close()),
  ).pipe(
    Effect.map(
      ({ thread, url }): EmbeddedPostgres => ({
        url,
        dump: Effect.promise(() => thread.dump()).pipe(Effect.map((data) => new Blob([data]))),
      }),
    ),
    Effect.orDie,
  )
