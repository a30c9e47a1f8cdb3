// The console's charts and the admin's configuration in a real headless Chromium at phone width. Calls run
// through the simulators first, so the charts have something to draw: the test reads the canvas's pixels for the
// lines' own colour, in the light scheme and the dark. An admin changes a timing setting, reads the API's refusal
// of a bad value word for word, saves a good one, switches a feature, and uploads and deletes a recorded prompt.
// A viewer sees the charts and no configuration. Any console error in the page fails the test.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type { Page } from "playwright-core"
import { SimulatedCalleesLive } from "../../src/sim/streamCaller/SimulatedCallees.js"
import { browser, phonePage, shot, signIn } from "../support/consoleBrowser.js"
import { adminToken } from "../support/testGateway.js"
import { allowAll, eventually, get, post, put } from "../support/upstream.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

const gateway = VoiceTestGateway().pipe(Layer.provide(SimulatedCalleesLive))

const wait = (page: Page, selector: string, timeout = 10_000) =>
  Effect.promise(() => page.locator(selector).first().waitFor({ timeout }))

// Run in the page, which has a DOM (this file's compiler options do not): the canvas's pixels within a small
// distance of the chart's first line's colour, as the page's own CSS gives it in the current scheme.
const countLinePixels = `(id) => {
  const canvas = document.querySelector('[data-chart="' + id + '"] canvas')
  const context = canvas && canvas.getContext("2d")
  if (!context) return -1
  const hex = getComputedStyle(document.documentElement).getPropertyValue("--chart-1").trim()
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
  let n = 0
  for (let i = 0; i < data.length; i += 4) {
    const near = Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b)
    if (data[i + 3] > 200 && near < 30) n++
  }
  return n
}`

/** Pixels of a chart's canvas drawn in its first line's colour: none when the chart draws no line. */
const linePixels = (page: Page, chart: string) =>
  Effect.promise(async () => Number(await page.evaluate(`(${countLinePixels})(${JSON.stringify(chart)})`)))

const points = (page: Page, chart: string) =>
  Effect.promise(async () =>
    Number(await page.locator(`[data-chart="${chart}"]`).getAttribute("data-points")),
  )

/** A valid WAV: 16-bit PCM, mono, 8 kHz, half a second of a 440 Hz tone. */
const wavFile = () => {
  const rate = 8000
  const samples = rate / 2
  const wav = Buffer.alloc(44 + samples * 2)
  wav.write("RIFF", 0)
  wav.writeUInt32LE(36 + samples * 2, 4)
  wav.write("WAVEfmt ", 8)
  wav.writeUInt32LE(16, 16)
  wav.writeUInt16LE(1, 20)
  wav.writeUInt16LE(1, 22)
  wav.writeUInt32LE(rate, 24)
  wav.writeUInt32LE(rate * 2, 28)
  wav.writeUInt16LE(2, 32)
  wav.writeUInt16LE(16, 34)
  wav.write("data", 36)
  wav.writeUInt32LE(samples * 2, 40)
  for (let i = 0; i < samples; i++)
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2)
  const dir = mkdtempSync(path.join(tmpdir(), "evg-prompt-"))
  writeFileSync(path.join(dir, "prompt.wav"), wav)
  writeFileSync(path.join(dir, "not-a-wav.wav"), "this is text, not audio")
  return { good: path.join(dir, "prompt.wav"), bad: path.join(dir, "not-a-wav.wav") }
}

/** What Chromium logs, as a console error, for each request the API refuses with 400. */
const refusedLoad = "Failed to load resource: the server responded with a status of 400 (Bad Request)"

/** Tabs to a control and presses Enter or Space on it, as a keyboard user does. */
const press = (page: Page, name: string, key: "Enter" | " " = "Enter") =>
  Effect.promise(async () => {
    await page.getByRole("button", { name, exact: true }).focus()
    await page.keyboard.press(key)
  })

layer(gateway, { timeout: 90_000, excludeTestServices: true })(
  "the console's charts and configuration",
  (it) => {
    it.scoped(
      "charts draw the calls run through the simulators, at phone width, light and dark",
      () =>
        Effect.gen(function* () {
          const { http } = yield* GatewayUrl
          expect((yield* put("/config/timing", allowAll)).status).toBe(200)
          // Three campaign calls the simulated callees answer, a vendor who accepts (1, then 2 5 #), one who never answers.
          const campaign = yield* post("/campaigns", {
            name: "Chart calls",
            purpose: "order_confirmation",
            dialerType: "agentless",
            contacts: [0, 1, 2].map((i) => ({ phone: `+9198766${String(i).padStart(5, "0")}` })),
            pacing: { concurrencyCap: 1 },
          })
          expect(campaign.status).toBe(201)
          for (const [orderId, vendorId, vendorPhone] of [
            [5151, 11, "919876543210"],
            [5252, 12, "919876543992"],
          ] as const) {
            const placed = yield* post("/nerve/vendor/confirm", {
              orderId,
              vendorId,
              vendorPhone,
              vendorName: "Chart Dhaba",
              orderAmount: 300,
              language: "en",
            })
            expect(placed.status).toBe(200)
          }
          const totals = (body: Record<string, unknown>) => {
            const buckets = body.buckets as ReadonlyArray<{
              calls: { total: number }
              vendor: { accepted: number; noAnswer: number }
            }>
            return buckets.reduce(
              (t, b) => ({
                calls: t.calls + b.calls.total,
                accepted: t.accepted + b.vendor.accepted,
                noAnswer: t.noAnswer + b.vendor.noAnswer,
              }),
              { calls: 0, accepted: 0, noAnswer: 0 },
            )
          }
          yield* eventually(
            Effect.map(get("/stats/series?period=24h"), (r) => totals(r.body)),
            (t) => t.calls >= 3 && t.accepted >= 1 && t.noAnswer >= 1,
            "45 seconds",
          )
          const { page, errors } = yield* phonePage(yield* browser)
          yield* signIn(page, http, adminToken)
          yield* press(page, "Charts")
          yield* wait(page, '[data-period="24h"] [data-chart="cqa"] canvas')
          expect(yield* Effect.promise(() => page.locator("[data-chart] canvas").count())).toBe(4)
          expect(yield* points(page, "volume")).toBeGreaterThan(0)
          expect(yield* points(page, "answer-rate")).toBeGreaterThan(0)
          expect(yield* points(page, "vendor")).toBeGreaterThan(0)
          expect(
            yield* Effect.promise(() => page.locator('[data-chart="vendor"] figcaption').textContent()),
          ).toContain("1 of 2 vendor confirmations accepted (50%)")
          // The CQA chart has no analysis to draw: its line's colour is nowhere on its canvas; the calls' is on theirs.
          expect(yield* linePixels(page, "volume")).toBeGreaterThan(20)
          expect(yield* linePixels(page, "cqa")).toBe(0)
          yield* shot(page, "charts-24h-light")
          // The dark scheme: the chart is drawn again in the dark palette's colours.
          yield* Effect.promise(() => page.emulateMedia({ colorScheme: "dark" }))
          yield* Effect.promise(() =>
            page.waitForFunction(
              `getComputedStyle(document.documentElement).getPropertyValue("--chart-1").trim() === "#5aa9ff"`,
            ),
          )
          yield* Effect.sleep("200 millis")
          expect(yield* linePixels(page, "volume")).toBeGreaterThan(20)
          yield* shot(page, "charts-24h-dark")
          yield* Effect.promise(() => page.emulateMedia({ colorScheme: "light" }))
          // The week, per day: the same calls in today's bucket.
          yield* press(page, "7 d", " ")
          yield* wait(page, '[data-period="7d"] [data-chart="volume"] canvas')
          expect(yield* points(page, "volume")).toBeGreaterThan(0)
          expect(yield* linePixels(page, "volume")).toBeGreaterThan(20)
          yield* shot(page, "charts-7d")
          expect(yield* Effect.promise(() => page.evaluate("document.documentElement.scrollWidth"))).toBe(390)
          expect(errors).toEqual([])
        }),
      90_000,
    )

    it.scoped("a viewer sees the charts but no configuration", () =>
      Effect.gen(function* () {
        const { http } = yield* GatewayUrl
        const viewer = String((yield* post("/api-keys", { name: "chart viewer", role: "viewer" })).body.key)
        const { page, errors } = yield* phonePage(yield* browser)
        yield* signIn(page, http, viewer)
        expect(yield* Effect.promise(() => page.getByRole("button", { name: "Charts" }).count())).toBe(1)
        expect(yield* Effect.promise(() => page.getByRole("button", { name: "Configuration" }).count())).toBe(
          0,
        )
        yield* press(page, "Charts")
        yield* wait(page, '[data-chart="volume"] canvas')
        expect(errors).toEqual([])
      }),
    )

    it.scoped(
      "an admin changes timing (a bad value refused with the API's words, a good one saved), a feature and a prompt",
      () =>
        Effect.gen(function* () {
          const { http } = yield* GatewayUrl
          const { page, errors } = yield* phonePage(yield* browser)
          yield* signIn(page, http, adminToken)
          yield* press(page, "Configuration")
          const start = page.getByLabel("Business hours start")
          yield* Effect.promise(() => start.waitFor())
          expect(yield* Effect.promise(() => start.inputValue())).toBe("00:00")
          // From the keyboard: focus the field, replace its value, Enter submits the form.
          yield* Effect.promise(async () => {
            await start.focus()
            await page.keyboard.press("Control+A")
            await page.keyboard.type("25:00")
            await page.keyboard.press("Enter")
          })
          const timingAlert = page.locator('[data-settings="timing"] [role="alert"]')
          yield* Effect.promise(() => timingAlert.waitFor())
          const refusal = 'businessHoursStart: must be a time "HH:mm" between 00:00 and 24:00, got "25:00"'
          expect(yield* Effect.promise(() => timingAlert.textContent())).toBe(refusal)
          // The very words the API answers to the same change.
          expect((yield* put("/config/timing", { businessHoursStart: "25:00" })).body.message).toBe(refusal)
          yield* shot(page, "config-timing-refused")
          yield* Effect.promise(async () => {
            await start.fill("08:30")
            await page.keyboard.press("Enter")
          })
          yield* wait(page, '[data-settings="timing"] [role="status"]')
          expect(yield* Effect.promise(() => timingAlert.count())).toBe(0)
          expect((yield* get("/config/timing")).body).toMatchObject({
            ...allowAll,
            businessHoursStart: "08:30",
          })
          yield* shot(page, "config-timing-saved")
          // A feature switched off, as the API then reads it, and back on.
          const cqa = page.getByLabel("cqaEnabled")
          yield* Effect.promise(() => cqa.uncheck())
          yield* eventually(get("/config/features"), (r) => r.body.cqaEnabled === false)
          yield* Effect.promise(() => cqa.check())
          yield* eventually(get("/config/features"), (r) => r.body.cqaEnabled === true)
          // A recorded prompt: a file that is no WAV refused with the API's message, a real one stored, then deleted.
          const files = wavFile()
          const row = page.locator('[data-prompt="thanks_accepted/en"]')
          yield* Effect.promise(async () => {
            await page.getByLabel("Prompt and language").selectOption("thanks_accepted/en")
            await page.getByLabel("WAV file").setInputFiles(files.bad)
            await page.getByRole("button", { name: "Upload" }).click()
          })
          const promptAlert = page.locator('[data-settings="prompts"] [role="alert"]')
          yield* Effect.promise(() => promptAlert.waitFor())
          const badText = yield* Effect.promise(() => promptAlert.textContent())
          expect(badText).not.toBe("")
          expect(badText).not.toContain("The gateway answered")
          yield* Effect.promise(async () => {
            await page.getByLabel("WAV file").setInputFiles(files.good)
            await page.getByRole("button", { name: "Upload" }).click()
          })
          yield* Effect.promise(() => row.and(page.locator('[data-recorded="true"]')).waitFor())
          expect(yield* Effect.promise(() => promptAlert.count())).toBe(0)
          expect(((yield* get("/prompts")).body.prompts as ReadonlyArray<unknown>).length).toBe(1)
          yield* shot(page, "config-prompt-recorded")
          yield* Effect.promise(() => row.getByRole("button", { name: "Delete" }).click())
          yield* Effect.promise(() => row.and(page.locator('[data-recorded="false"]')).waitFor())
          expect(((yield* get("/prompts")).body.prompts as ReadonlyArray<unknown>).length).toBe(0)
          expect(yield* Effect.promise(() => page.evaluate("document.documentElement.scrollWidth"))).toBe(390)
          // Chromium itself logs each answer of 400 as a console error: the two refusals asked for, and nothing else.
          expect(errors).toEqual(Array(2).fill(refusedLoad))
        }),
      60_000,
    )
  },
)
