// What a failed statement says about the request, told by its SQLSTATE: the database refused a value (class
// 22, a data exception: an invalid byte sequence, a number out of range, a bad text representation) — the
// request's fault, a 400; it refused a row against a constraint (class 23) — a 409; or it could not be reached
// or could not serve now (no SQLSTATE at all, classes 08, 53, 57, 40) — a 503 worth retrying. Anything else is a
// statement of ours that is wrong, a 500.
import { SqlError } from "@effect/sql/SqlError"

export type SqlFailure =
  | { readonly _tag: "RefusedValue"; readonly detail: string }
  | { readonly _tag: "Conflict"; readonly detail: string }
  | { readonly _tag: "Unavailable" }
  | { readonly _tag: "Bug" }

const sqlState = (cause: unknown): string | undefined =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
    ? cause.code
    : undefined

const detailOf = (cause: unknown) =>
  cause instanceof Error ? cause.message.slice(0, 200) : "the database refused the request"

const unavailableClasses = new Set(["08", "53", "57", "40"])

// The driver's words for a connection it could not open or lend. The server may give such a refusal any
// SQLSTATE (55000 for a database not accepting connections, 3D000 for one dropped, 28P01 for a password
// changed): none of them is the request's fault or a statement of ours, so each is a database not serving now.
const connectionFailure = /^(Failed to acquire connection|Connection error)/

export const classifySqlError = (error: SqlError): SqlFailure => {
  if (connectionFailure.test(error.message)) return { _tag: "Unavailable" }
  const state = sqlState(error.cause)
  // A driver error (ECONNREFUSED, a closed connection) carries no five-character SQLSTATE.
  if (state === undefined || state.length !== 5) return { _tag: "Unavailable" }
  const stateClass = state.slice(0, 2)
  if (stateClass === "22") return { _tag: "RefusedValue", detail: detailOf(error.cause) }
  if (stateClass === "23") return { _tag: "Conflict", detail: detailOf(error.cause) }
  if (unavailableClasses.has(stateClass)) return { _tag: "Unavailable" }
  return { _tag: "Bug" }
}

export const isSqlError = (u: unknown): u is SqlError => u instanceof SqlError
