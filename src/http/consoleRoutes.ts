// The operations console's built files (console/, built by scripts/buildConsole.mjs into dist/console), served at
// /console. Each file is read when asked for, so a rebuild shows at the next reload; only the names the build
// wrote are served, so no path reaches outside that folder.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { HttpLayerRouter, type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Option } from "effect"

export const consolePath = "/console"

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json",
}

/**
 * dist/console under the project's root: two folders up from this module in src/http and from the server
 * bundle in dist/app, three from the library's dist/lib/http.
 */
const builtFolder = () => {
  const here = path.dirname(fileURLToPath(import.meta.url))
  return Option.fromNullable(
    [2, 3]
      .map((up) => path.join(here, ...Array.from({ length: up }, () => ".."), "dist", "console"))
      .find((dir) => existsSync(path.join(dir, "index.html"))),
  )
}

const notBuilt = HttpServerResponse.text(
  "The console is not built: `npm start` builds it (or `node scripts/buildConsole.mjs`).",
  { status: 404 },
)

const serve = (name: string) =>
  Effect.sync(() =>
    Option.match(builtFolder(), {
      onNone: () => notBuilt,
      onSome: (dir) => {
        const type = contentTypes[path.extname(name)]
        if (type === undefined || !readdirSync(dir).includes(name)) {
          return HttpServerResponse.text("Not found", { status: 404 })
        }
        return HttpServerResponse.uint8Array(readFileSync(path.join(dir, name)), {
          contentType: type,
          headers: { "cache-control": "no-cache", "x-content-type-options": "nosniff" },
        })
      },
    }),
  )

const fileName = (request: HttpServerRequest.HttpServerRequest) => {
  const name = new URL(request.url, "http://console").pathname.slice(consolePath.length + 1)
  try {
    return name === "" ? "index.html" : decodeURIComponent(name)
  } catch {
    return name
  }
}

const asset = (request: HttpServerRequest.HttpServerRequest) => serve(fileName(request))

export const ConsoleRoutes = HttpLayerRouter.addAll([
  HttpLayerRouter.route("GET", consolePath, serve("index.html")),
  HttpLayerRouter.route("GET", `${consolePath}/*`, asset),
])
