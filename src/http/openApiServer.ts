// The OpenAPI document names the API's base path as its one server, and its paths are relative to it, as
// client generators and Swagger UI's "Try it out" expect: a server's URL and a path make the request's URL.
// The server is relative too, so the document is right on whatever host and port serves it.
import { Predicate } from "effect"

/** Moves `basePath` from the front of every path key into `servers`; the rest of the document is kept. */
export const servedUnder =
  (basePath: string) =>
  (document: Record<string, unknown>): Record<string, unknown> => {
    const paths = document.paths
    if (!Predicate.isRecord(paths)) return document
    const relative = Object.entries(paths).map(([path, item]): [string, unknown] => [
      path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : path,
      item,
    ])
    return {
      ...document,
      servers: [{ url: basePath, description: "This gateway" }],
      paths: Object.fromEntries(relative),
    }
  }
