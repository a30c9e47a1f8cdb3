// Request bodies at the Node level, where a refused body must still be read off the wire: a peer still sending
// when its connection is closed sees a reset, not the 413 it was sent.
//
// A body sent without a Content-Length (chunked) is read before routing, up to a cap, and handed on as a
// request that has one; so every later check of a body's size reads a header and never the body itself. A body
// past the cap is marked too large and its rest discarded.
import { IncomingMessage } from "node:http"

/** Requests whose chunked body went past the cap: the body was discarded, and the answer is 413. */
const tooLarge = new WeakSet<IncomingMessage>()

export const isUnsizedTooLarge = (request: IncomingMessage): boolean => tooLarge.has(request)

/** How much more of a refused body is read and dropped before the connection is cut after all. */
export const discardAllowance = (cap: number) => 4 * cap

/** The rest of a body nobody will read is read and dropped, up to `allowance` bytes; past that the peer is cut off. */
export const discardRest = (request: IncomingMessage, allowance: number) => {
  let dropped = 0
  request.on("data", (chunk: Buffer) => {
    dropped += chunk.length
    if (dropped > allowance) request.socket.destroy()
  })
  request.resume()
}

const hasUnsizedBody = (request: IncomingMessage) =>
  request.headers["content-length"] === undefined && request.headers["transfer-encoding"] !== undefined

/** The same request, its body already read: what the router sees of a chunked request within the cap. */
const sizedCopy = (request: IncomingMessage, body: Buffer) => {
  const copy = new IncomingMessage(request.socket)
  copy.method = request.method
  copy.url = request.url
  copy.httpVersion = request.httpVersion
  copy.httpVersionMajor = request.httpVersionMajor
  copy.httpVersionMinor = request.httpVersionMinor
  const { "transfer-encoding": _chunked, ...headers } = request.headers
  copy.headers = { ...headers, "content-length": String(body.length) }
  copy.rawHeaders = Object.entries(copy.headers).flatMap(([name, value]) =>
    value === undefined ? [] : [name, Array.isArray(value) ? value.join(", ") : value],
  )
  copy.push(body)
  copy.push(null)
  // Read whole: destroying it later must not take the connection down as an aborted request would.
  copy.complete = true
  return copy
}

/**
 * Hands `request` on to `next` with a body of known size: at once when it has a Content-Length (or no body),
 * else once its chunked body is read (within `cap`) or found too large (past it). A peer that goes away
 * mid-body is never handed on.
 */
export const withSizedBody = (
  request: IncomingMessage,
  cap: number,
  next: (request: IncomingMessage) => void,
) => {
  if (!hasUnsizedBody(request)) return next(request)
  const chunks: Array<Buffer> = []
  let size = 0
  const onData = (chunk: Buffer) => {
    size += chunk.length
    if (size <= cap) {
      chunks.push(chunk)
      return
    }
    request.off("data", onData)
    request.off("end", onEnd)
    chunks.length = 0
    tooLarge.add(request)
    discardRest(request, discardAllowance(cap))
    next(request)
  }
  const onEnd = () => next(sizedCopy(request, Buffer.concat(chunks, size)))
  request.on("data", onData)
  request.once("end", onEnd)
}
