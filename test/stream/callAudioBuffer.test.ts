import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { callAudioBuffer } from "../../src/stream/CallAudioBuffer.js"

describe("the kept audio of a live stream", () => {
  it("keeps every chunk in order up to its cap, then keeps the start and says it was cut", () =>
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 4000 }), { maxLength: 40 }), (chunks) => {
        // One second at 8 kHz: 16,000 bytes.
        const buffer = callAudioBuffer(8000, 1)
        for (const chunk of chunks) buffer.append(Buffer.from(chunk).toString("base64"))
        const all = Buffer.concat(chunks)
        const kept = all.subarray(0, Math.min(16_000, all.length))
        expect(Buffer.from(buffer.pcm())).toEqual(kept.subarray(0, kept.length - (kept.length % 2)))
        expect(buffer.truncated()).toBe(all.length > 16_000)
      }),
      { numRuns: 100 },
    ))
})
