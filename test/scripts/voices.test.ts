// `npm run voices`: every prompt in both languages, as 8 kHz WAV files a person can play, and an index of them.
import { execFileSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { wavFile } from "../../src/stream/wav.js"

const root = path.resolve(import.meta.dirname, "../..")

const header = (file: Uint8Array) => {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const ascii = (at: number) => String.fromCharCode(...file.subarray(at, at + 4))
  return {
    riff: ascii(0),
    wave: ascii(8),
    format: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    rate: view.getUint32(24, true),
    bits: view.getUint16(34, true),
    data: ascii(36),
    bytes: view.getUint32(40, true),
  }
}

describe("the voices", () => {
  it("are written as WAV: PCM, mono, 16 bits, the rate given, the samples after a 44-byte header", () => {
    const pcm = new Uint8Array([1, 2, 3, 4, 5, 6])
    const file = wavFile(pcm, 8000)
    expect(header(file)).toEqual({
      riff: "RIFF",
      wave: "WAVE",
      format: 1,
      channels: 1,
      rate: 8000,
      bits: 16,
      data: "data",
      bytes: 6,
    })
    expect([...file.subarray(44)]).toEqual([...pcm])
  })

  it("are every prompt in Hindi and in English at 8 kHz, each with sound in it, listed in an index", () => {
    const out = mkdtempSync(path.join(tmpdir(), "voices-"))
    try {
      execFileSync(process.execPath, ["--import", "tsx", "scripts/voices.ts", out], {
        cwd: root,
        env: { ...process.env, TTS_ENGINE: "espeak" },
        stdio: "pipe",
        timeout: 60_000,
      })
      const index = readFileSync(path.join(out, "index.tsv"), "utf8").trim().split("\n")
      for (const language of ["hi", "en"]) {
        const files = readdirSync(path.join(out, language))
        expect(files).toContain("flow-vendor_offer.wav")
        expect(files).toContain("ordering-ReadBack.wav")
        expect(files).toContain("scripted-order_confirmation.wav")
        expect(files).toContain("scripted-rating_reprompt.wav")
        expect(files.length).toBe(index.length / 2)
        for (const name of files) {
          const file = new Uint8Array(readFileSync(path.join(out, language, name)))
          expect(header(file)).toMatchObject({ rate: 8000, channels: 1, bits: 16, bytes: file.length - 44 })
          // More than half a second of sound: no prompt is empty or silent.
          expect(file.length - 44, name).toBeGreaterThan(8000)
          expect(file.subarray(44).some((b) => b !== 0)).toBe(true)
        }
      }
      expect(index.find((line) => line.startsWith("hi/flow-vendor_offer.wav"))).toContain("चार सौ पचास रुपये")
      const hindiScript = index.find((line) => line.startsWith("hi/scripted-payment_reminder.wav"))
      expect(hindiScript).toContain("चार सौ पचास रुपये")
      expect(hindiScript).toContain("इक्कीस जनवरी")
      expect(hindiScript?.split("\t")[2]).not.toMatch(/[A-Za-z]/)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 60_000)
})
