import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { classifySqlError } from "../../src/http/sqlFailures.js"

const failed = (code: string | undefined) =>
  new SqlError({
    cause: Object.assign(new Error("the server's message"), code === undefined ? {} : { code }),
  })

describe("a failed statement, told by its SQLSTATE", () => {
  it("is the request's fault when the database refused a value (class 22)", () => {
    for (const code of ["22021", "22003", "22P02"]) {
      expect(classifySqlError(failed(code))).toEqual({ _tag: "RefusedValue", detail: "the server's message" })
    }
  })

  it("is a conflict when a constraint refused the row (class 23)", () => {
    expect(classifySqlError(failed("23505"))._tag).toBe("Conflict")
  })

  it("is an unavailable database when it could not be reached or could not serve now", () => {
    for (const code of [undefined, "ECONNREFUSED", "08006", "53300", "57P01", "40001"]) {
      expect(classifySqlError(failed(code))._tag).toBe("Unavailable")
    }
  })

  it("is an unavailable database when no connection could be had, whatever the server's SQLSTATE", () => {
    for (const code of ["55000", "3D000", "28P01"]) {
      for (const message of [
        "Failed to acquire connection",
        "Failed to acquire connection for transaction",
      ]) {
        const refused = new SqlError({
          message,
          cause: Object.assign(new Error("not accepting connections"), { code }),
        })
        expect(classifySqlError(refused)._tag).toBe("Unavailable")
      }
      expect(classifySqlError(failed(code))._tag).toBe("Bug")
    }
  })

  it("is a bug of ours for anything else, such as a statement the server cannot parse", () => {
    expect(classifySqlError(failed("42601"))._tag).toBe("Bug")
  })
})
