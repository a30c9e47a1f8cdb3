// Every log line a gateway layer writes, kept as JSON text (level, message, annotations) for tests that search
// the log: for a credential that must not be there, or an error line that must not be written.
import { Layer, Logger } from "effect"

export const capturedLogs = () => {
  const lines: Array<string> = []
  const logger = Logger.make(({ message, annotations, logLevel, cause }) => {
    lines.push(
      JSON.stringify({
        level: logLevel.label,
        message,
        annotations: Object.fromEntries(annotations),
        cause: cause._tag === "Empty" ? undefined : String(cause),
      }),
    )
  })
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
}

/** Provides the capture to `gateway`. */
export const withCapturedLogs = <A, E, R>(gateway: Layer.Layer<A, E, R>) => {
  const logs = capturedLogs()
  return { logs: logs.lines, gateway: gateway.pipe(Layer.provide(logs.layer)) }
}
