// The operations console in a real headless Chromium (Debian's, at /usr/bin/chromium, driven by playwright-core):
// a viewer sees a live campaign call appear and end, pushed over Server-Sent Events; an operator pauses a campaign,
// sees its progress bar stop, resumes it and sees the bar move again. Any console error in the page fails the test.
// Screenshots go to artifacts/console/ (gitignored).
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Schedule } from "effect"
import { SimulatedCalleesLive } from "../../src/sim/streamCaller/SimulatedCallees.js"
import { browser, phonePage, shot, signIn } from "../support/consoleBrowser.js"
import { allowAll, post, put } from "../support/upstream.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

// Campaign calls are streamed: a simulated callee answers each and talks to the gateway's voice flow.
const gateway = VoiceTestGateway().pipe(Layer.provide(SimulatedCalleesLive))

const issueKey = (role: "viewer" | "operator") =>
  Effect.map(post("/api-keys", { name: `console ${role}`, role }), (r) => String(r.body.key))

const startCampaign = (contacts: number) =>
  Effect.gen(function* () {
    expect((yield* put("/config/timing", allowAll)).status).toBe(200)
    const created = yield* post("/campaigns", {
      name: "Lunch confirmations",
      purpose: "order_confirmation",
      dialerType: "agentless",
      contacts: Array.from({ length: contacts }, (_, i) => ({
        phone: `+9198765${String(i).padStart(5, "0")}`,
      })),
      pacing: { concurrencyCap: 1 },
    })
    expect(created.status).toBe(201)
    return String(created.body.id)
  })

/** The first event of a fresh stream: a call live when the stream opens comes first, from the database. */
const firstEvent = (base: string, token: string) =>
  Effect.promise(async () => {
    const abort = new AbortController()
    const response = await fetch(`${base}/api/exotel/console/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: abort.signal,
    })
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader()
    let text = ""
    while (reader !== undefined && !/^data: .*$/m.test(text)) {
      const { done, value } = await reader.read()
      if (done) break
      text += value
    }
    abort.abort()
    return JSON.parse(text.match(/^data: (.*)$/m)?.[1] ?? "null") as unknown
  }).pipe(Effect.timeout("5 seconds"))

layer(gateway, { timeout: 60_000, excludeTestServices: true })("the console", (it) => {
  it.effect("every door is locked: the console's endpoints answer 401 without a token", () =>
    Effect.gen(function* () {
      const { http } = yield* GatewayUrl
      for (const route of ["/console/session", "/console/events"]) {
        const response = yield* Effect.promise(() => fetch(`${http}/api/exotel${route}`))
        expect(response.status).toBe(401)
      }
      const page = yield* Effect.promise(() => fetch(`${http}/console`))
      expect(page.status).toBe(200)
      expect(yield* Effect.promise(() => page.text())).toContain("/console/app.js")
    }),
  )

  it.scoped(
    "a viewer sees live calls appear and end: a campaign call, and a vendor call with its keys",
    () =>
      Effect.gen(function* () {
        const { http } = yield* GatewayUrl
        const viewer = yield* issueKey("viewer")
        const { page, errors } = yield* phonePage(yield* browser)
        yield* signIn(page, http, viewer)
        expect(yield* Effect.promise(() => page.getByTestId("role").textContent())).toBe("viewer")
        yield* startCampaign(1)
        const row = page.locator("tr[data-call-id]").first()
        yield* Effect.promise(() => row.and(page.locator('[data-state="live"]')).waitFor({ timeout: 15_000 }))
        expect(yield* Effect.promise(() => row.textContent())).toContain("campaign")
        yield* shot(page, "live-call")
        yield* Effect.promise(() =>
          row.and(page.locator('[data-state="ended"]')).waitFor({ timeout: 30_000 }),
        )
        expect(yield* Effect.promise(() => row.textContent())).toContain("completed")
        yield* shot(page, "call-ended")
        // A vendor confirmation: the simulated vendor presses 1, then 2 5 #, over the voice stream.
        const placed = yield* post("/nerve/vendor/confirm", {
          orderId: 4242,
          vendorId: 7,
          vendorPhone: "919876543210",
          vendorName: "Sharma Dhaba",
          orderAmount: 450,
          itemCount: 3,
          language: "en",
        })
        expect(placed.status).toBe(200)
        const vendor = page.locator("tr[data-call-id]", { hasText: "vendor 7" })
        yield* Effect.promise(() =>
          vendor.and(page.locator('[data-state="live"]')).waitFor({ timeout: 15_000 }),
        )
        expect(yield* Effect.promise(() => vendor.textContent())).toContain("vendor_confirmation")
        yield* shot(page, "vendor-call-live")
        expect(yield* firstEvent(http, viewer)).toMatchObject({
          _tag: "VoiceCallStep",
          callType: "vendor_confirmation",
          vendorId: 7,
          ended: false,
          key: null,
          prompt: null,
        })
        yield* Effect.promise(() =>
          vendor.and(page.locator('[data-state="ended"]')).waitFor({ timeout: 30_000 }),
        )
        const ended = yield* Effect.promise(() => vendor.locator("td").allTextContents())
        expect(ended).toContain("prep_time_set")
        expect(ended).toContain("#")
        expect(errors).toEqual([])
      }),
    60_000,
  )

  it.scoped(
    "an operator pauses a campaign, its progress bar stops; resumed, the bar moves again; an unanswered vendor is retried",
    () =>
      Effect.gen(function* () {
        const { http } = yield* GatewayUrl
        const operator = yield* issueKey("operator")
        const { page, errors } = yield* phonePage(yield* browser)
        yield* signIn(page, http, operator)
        // Enough contacts that the campaign is still dialling when the button is pressed.
        const id = yield* startCampaign(40)
        yield* Effect.promise(() => page.getByRole("button", { name: "Campaigns" }).click())
        const card = page.locator(`[data-campaign-id="${id}"]`)
        const progress = Effect.promise(async () =>
          Number(await card.locator("progress").getAttribute("data-progress")),
        )
        yield* Effect.promise(() =>
          card.locator("progress:not([data-progress='0'])").waitFor({ timeout: 20_000 }),
        )
        yield* Effect.promise(() => card.getByRole("button", { name: "Pause" }).click())
        yield* Effect.promise(() => card.and(page.locator('[data-status="paused"]')).waitFor())
        yield* shot(page, "campaign-paused")
        // A call in flight when the campaign paused still ends; after that the bar stays put.
        yield* Effect.sleep(Duration.seconds(4))
        const paused = yield* progress
        yield* Effect.sleep(Duration.seconds(3))
        expect(yield* progress).toBe(paused)
        yield* Effect.promise(() => card.getByRole("button", { name: "Resume" }).click())
        yield* progress.pipe(
          Effect.filterOrFail(
            (now) => now > paused,
            () => "not yet" as const,
          ),
          Effect.retry({ schedule: Schedule.spaced("200 millis"), while: (e) => e === "not yet" }),
          Effect.timeout("20 seconds"),
        )
        yield* shot(page, "campaign-resumed")
        // A vendor who never answers (the simulator's 992) keeps an order waiting; the operator retries now.
        const unanswered = yield* post("/nerve/vendor/confirm", {
          orderId: 4343,
          vendorId: 8,
          vendorPhone: "919876543992",
          vendorName: "Gupta Sweets",
          orderAmount: 300,
          language: "en",
        })
        expect(unanswered.status).toBe(200)
        yield* Effect.promise(() => page.getByRole("button", { name: "Waiting" }).click())
        const waiting = page.locator("tr[data-waiting-id]", { hasText: "vendor 8" })
        yield* Effect.promise(() =>
          waiting.and(page.locator('[data-status="no_response"]')).waitFor({ timeout: 20_000 }),
        )
        expect(yield* Effect.promise(() => waiting.locator("td").nth(4).textContent())).toBe("1")
        yield* Effect.promise(() => waiting.getByRole("button", { name: "Retry now" }).click())
        yield* Effect.promise(() =>
          waiting.locator("td").nth(4).filter({ hasText: "2" }).waitFor({ timeout: 20_000 }),
        )
        yield* shot(page, "vendor-waiting-retried")
        // Phone width: nothing pushes the page wider than the screen; wide tables scroll inside themselves.
        expect(yield* Effect.promise(() => page.evaluate("document.documentElement.scrollWidth"))).toBe(390)
        expect(errors).toEqual([])
      }),
    60_000,
  )
})
