// The embedded database's own thread: opens PGlite (a data folder, or memory from a dumped data folder) and
// serves it on a free loopback port until the parent asks it to close. PGlite runs every query synchronously in
// WebAssembly; on this thread a query no longer stops the gateway's sockets and timers, and opening the data
// folder overlaps the gateway's own start. Plain JavaScript, so that Node loads it as it is under the bundle,
// tsx and the test runner alike.
//
// The parent asks "dump" (the data folder as a tarball, as `snapshot` takes it) and "close"; this thread answers
// "ready" once, then "dumped" or "closed", or "failed" with the reason.
import { mkdirSync } from "node:fs"
import { parentPort, workerData } from "node:worker_threads"
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"

const { dataDir, snapshot, maxConnections } = workerData

const failed = (error) => ({ type: "failed", message: String(error?.stack ?? error) })

const open = async () => {
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true })
  const db = await PGlite.create({
    ...(dataDir === null ? {} : { dataDir }),
    ...(snapshot === null ? {} : { loadDataDir: new Blob([snapshot]) }),
  })
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections })
  await server.start()
  return { db, server }
}

const serve = ({ db, server }) => {
  const onMessage = async (message) => {
    if (message === "dump") {
      try {
        const data = await (await db.dumpDataDir("none")).arrayBuffer()
        parentPort.postMessage({ type: "dumped", data }, [data])
      } catch (error) {
        parentPort.postMessage(failed(error))
      }
      return
    }
    parentPort.off("message", onMessage)
    try {
      await server.stop()
      await db.close()
      parentPort.postMessage({ type: "closed" })
    } catch (error) {
      parentPort.postMessage(failed(error))
    }
    parentPort.close()
  }
  parentPort.on("message", onMessage)
  parentPort.postMessage({ type: "ready", address: server.getServerConn() })
}

open().then(serve, (error) => {
  parentPort.postMessage(failed(error))
  parentPort.close()
})
