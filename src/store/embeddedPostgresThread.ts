// Starts and stops the embedded database's thread (embeddedPostgresWorker.mjs), and lets main.ts start opening
// the data folder before the rest of the gateway has even loaded. Free of Effect on purpose: main.ts imports it
// ahead of everything else, and whatever this file pulls in is compiled before the database starts opening.
import path from "node:path"
import { Worker } from "node:worker_threads"

export interface EmbeddedPostgresThread {
  /** Where the database answers (postgresql://postgres@127.0.0.1:<port>/postgres), once it does. */
  readonly url: Promise<string>
  /** The data folder as it is now, in the form `snapshot` takes (queries in flight should be done). */
  readonly dump: () => Promise<ArrayBuffer>
  /** Stops serving and closes the database, so that its data folder is consistent on disk. */
  readonly close: () => Promise<void>
}

export interface EmbeddedPostgresOptions {
  /** A data folder; null: a database in memory, gone with the thread. */
  readonly dataDir: string | null
  /** A dumped data folder to start from instead of running initdb (moved to the thread, not copied). */
  readonly snapshot: ArrayBuffer | null
}

type WorkerReport =
  | { readonly type: "ready"; readonly address: string }
  | { readonly type: "dumped"; readonly data: ArrayBuffer }
  | { readonly type: "closed" }
  | { readonly type: "failed"; readonly message: string }

const isWorkerReport = (value: unknown): value is WorkerReport => {
  if (typeof value !== "object" || value === null || !("type" in value)) return false
  switch (value.type) {
    case "ready":
      return "address" in value && typeof value.address === "string"
    case "dumped":
      return "data" in value && value.data instanceof ArrayBuffer
    case "closed":
      return true
    case "failed":
      return "message" in value && typeof value.message === "string"
    default:
      return false
  }
}

// The pool above PGlite holds one connection (one backend session is shared by all); the rest is headroom for
// a connection being replaced.
const maxConnections = 4

export const startEmbeddedPostgres = (options: EmbeddedPostgresOptions): EmbeddedPostgresThread => {
  const worker = new Worker(new URL("./embeddedPostgresWorker.mjs", import.meta.url), {
    workerData: { dataDir: options.dataDir, snapshot: options.snapshot, maxConnections },
    transferList: options.snapshot === null ? [] : [options.snapshot],
  })
  // An open database does not keep the process alive by itself; closing it does (see close).
  worker.unref()
  const reports: Array<(report: WorkerReport) => void> = []
  const next = () => new Promise<WorkerReport>((resolve) => reports.push(resolve))
  const deliver = (report: WorkerReport) => reports.shift()?.(report)
  worker.on("message", (message: unknown) => {
    if (isWorkerReport(message)) deliver(message)
  })
  worker.on("error", (error) => deliver({ type: "failed", message: String(error.stack ?? error) }))
  worker.on("exit", (code) => deliver({ type: "failed", message: `the database thread exited (${code})` }))

  const url = next().then((report) => {
    if (report.type === "ready") return `postgresql://postgres@${report.address}/postgres`
    throw new Error(report.type === "failed" ? report.message : "the database thread closed before it opened")
  })
  // Nobody may be waiting yet; a failure is reported to whoever asks for the url.
  url.catch(() => undefined)

  // One request at a time: the worker answers in order, and each answer goes to the oldest waiter.
  const dump = () =>
    url.then(async () => {
      const answer = next()
      worker.postMessage("dump")
      const report = await answer
      if (report.type === "dumped") return report.data
      throw new Error(
        report.type === "failed" ? report.message : `the database thread answered ${report.type}`,
      )
    })

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= url.then(
      async () => {
        worker.ref()
        const closed = next()
        worker.postMessage("close")
        const report = await closed
        await worker.terminate()
        if (report.type === "failed") throw new Error(report.message)
      },
      () => worker.terminate().then(() => undefined),
    )
    return closing
  }
  return { url, dump, close }
}

const early = new Map<string, EmbeddedPostgresThread>()

/** Starts opening a data folder now; the database layer takes it (takeEarly) instead of opening it again. */
export const openEarly = (dataDir: string) => {
  const key = path.resolve(dataDir)
  if (!early.has(key)) early.set(key, startEmbeddedPostgres({ dataDir: key, snapshot: null }))
}

/** The thread openEarly started for this data folder, if any; it is then the caller's to close. */
export const takeEarly = (dataDir: string): EmbeddedPostgresThread | undefined => {
  const key = path.resolve(dataDir)
  const thread = early.get(key)
  early.delete(key)
  return thread
}
