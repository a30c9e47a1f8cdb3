// The gateway's log lines, kept for a test to read instead of printed: provide `layer` under the gateway's
// layer and read `lines`.
import { Cause, HashMap, Logger, type LogLevel } from "effect"

export interface LogLine {
  readonly level: LogLevel.LogLevel["label"]
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
  /** The cause logged with the line, pretty-printed; empty when there is none. */
  readonly cause: string
}

const text = (message: unknown) =>
  (Array.isArray(message) ? message : [message]).map((part) => String(part)).join(" ")

export const captureLogs = () => {
  const lines: Array<LogLine> = []
  const logger = Logger.make(({ logLevel, message, annotations, cause }) => {
    lines.push({
      level: logLevel.label,
      message: text(message),
      annotations: Object.fromEntries(HashMap.toEntries(annotations)),
      cause: Cause.isEmpty(cause) ? "" : Cause.pretty(cause),
    })
  })
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
}
