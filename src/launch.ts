// What `npm start` runs: the embedded data folder starts opening on its own thread first, and only then is the
// rest of the gateway loaded and started (main.ts). Compiling and initialising the gateway's modules takes about
// as long as PGlite takes to open a data folder; on two threads a restart costs one of them, not both.
import path from "node:path"
import { openEarly } from "./store/embeddedPostgresThread.js"

// The same reading of DATABASE_URL and DATA_DIR as config/Env.ts; should they ever differ, the database layer
// simply opens its folder itself and this thread is never taken.
if ((process.env.DATABASE_URL ?? "").trim() === "") {
  openEarly(path.join(process.env.DATA_DIR ?? "./data", "pgdata"))
}

await import("./main.js")
