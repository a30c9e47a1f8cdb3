// The floor for a restart: open the same embedded database, serve it on a loopback socket, and answer
// GET /api/exotel/health with one query over the wire — what any gateway on PGlite must do, and nothing else.
import { createServer } from "node:http"
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import pg from "pg"

const db = await PGlite.create({ dataDir: process.env.DATA_DIR })
const socket = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 2 })
await socket.start()
const client = new pg.Client({ connectionString: `postgresql://postgres@${socket.getServerConn()}/postgres` })
await client.connect()
createServer(async (request, response) => {
  if (request.url !== "/api/exotel/health") return response.writeHead(404).end()
  await client.query("SELECT 1")
  response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}')
}).listen(Number(process.env.PORT), "127.0.0.1")
