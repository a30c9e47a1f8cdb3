// How large a body each endpoint takes: the configured default (1 MiB), or more where the endpoint's own
// contract needs it. Keyed by method and route pattern, as the router names the matched route.
import { maxBodyLimitBytes } from "../config/InboundLimits.js"

const mebibytes = (n: number) => n * 1024 * 1024

/** The endpoints that take more than the default, and why. */
export const largeBodies: ReadonlyMap<string, number> = new Map([
  // A campaign's contacts come inline, up to 100,000 of them, each with a name and metadata: ~15 MB at most.
  ["POST /api/exotel/campaigns", mebibytes(32)],
  // A call's transcript may be given for analysis: up to 2,000 segments of up to 5,000 characters.
  ["POST /api/exotel/cqa/analyze", mebibytes(16)],
  // A recorded prompt: 30 seconds of 16-bit stereo at 48 kHz is 5.5 MiB.
  ["PUT /api/exotel/prompts/:key/:language", mebibytes(6)],
])

/** No endpoint takes more than this; a chunked body is read up to it before it is refused. */
export const largestBodyBytes = Math.max(maxBodyLimitBytes, ...largeBodies.values())

export const bodyLimitFor = (method: string, routePath: string, defaultBytes: number): number =>
  Math.max(defaultBytes, largeBodies.get(`${method} ${routePath}`) ?? 0)
