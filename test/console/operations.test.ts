// The console's operations views in a real headless Chromium (Debian's, driven by playwright-core), at phone
// width and from the keyboard: an order's Nerve calls with a vendor call's event log (reached by typing the id
// and by the Waiting view's link), the scheduled calls due next with the reason each waits, a campaign card's
// share of the Exotel rate budget, and an operator previewing a contact and calling it. Any console error in
// the page fails the test. Screenshots go to artifacts/console/ (gitignored).
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type { Locator, Page } from "playwright-core"
import { SimulatedCalleesLive } from "../../src/sim/streamCaller/SimulatedCallees.js"
import { browser, phonePage, shot, signIn } from "../support/consoleBrowser.js"
import { allowAll, eventually, get, istClock, post, put } from "../support/upstream.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

// Calls are streamed: a simulated callee answers each and talks to the gateway's voice flow.
const gateway = VoiceTestGateway().pipe(Layer.provide(SimulatedCalleesLive))

const ui = <A>(f: () => Promise<A>) => Effect.promise(f)

/** Presses a control from the keyboard: focused, then Enter. */
const press = (target: Locator) =>
  ui(async () => {
    await target.focus()
    await target.press("Enter")
  })

/** Nothing pushes the page wider than the phone's screen; wide tables scroll inside themselves. */
const fitsThePhone = (page: Page) =>
  Effect.map(
    ui(() => page.evaluate("document.documentElement.scrollWidth")),
    (width) => expect(width).toBe(390),
  )

const vendorCall = (orderId: number, vendorId: number, vendorPhone: string) =>
  Effect.map(
    post("/nerve/vendor/confirm", {
      orderId,
      vendorId,
      vendorPhone,
      vendorName: "Sharma Dhaba",
      orderAmount: 450,
      itemCount: 3,
      language: "en",
    }),
    (placed) => expect(placed.status).toBe(200),
  )

const orderStatus = (orderId: number) =>
  Effect.map(get(`/nerve/calls/order/${orderId}`), (answer) =>
    String((answer.body.calls as ReadonlyArray<{ status: string }>)[0]?.status),
  )

layer(gateway, { timeout: 120_000, excludeTestServices: true })("the console's operations views", (it) => {
  it.scoped(
    "an operator reads an order's calls, the calls due next, a campaign's budget share, and calls a preview contact",
    () =>
      Effect.gen(function* () {
        const { http } = yield* GatewayUrl
        expect((yield* put("/config/timing", allowAll)).status).toBe(200)
        const operator = String((yield* post("/api-keys", { name: "ops", role: "operator" })).body.key)
        const { page, errors } = yield* phonePage(yield* browser)
        yield* signIn(page, http, operator)

        // A vendor confirmation runs to its end: the simulated vendor presses 1, then 2 5 #.
        yield* vendorCall(5151, 21, "919876543210")
        yield* eventually(orderStatus(5151), (s) => s === "prep_time_set", "30 seconds")
        yield* press(page.getByRole("button", { name: "Orders" }))
        yield* ui(async () => {
          await page.getByLabel("Order id").focus()
          await page.keyboard.type("5151")
          await page.keyboard.press("Enter")
        })
        const vendor = page.locator('[data-call-type="vendor_confirmation"]')
        yield* ui(() => vendor.waitFor({ timeout: 10_000 }))
        const log = yield* ui(() => vendor.locator(".event-log td.mono").allTextContents())
        expect(log[0]).toBe("initiated")
        expect(log).toContain("digit:1")
        expect(log).toContain("digit:#")
        expect(yield* ui(() => vendor.locator(".badge").textContent())).toBe("prep_time_set")
        yield* shot(page, "order-calls")
        yield* fitsThePhone(page)

        // A vendor who never answers keeps an order waiting; its order id in Waiting links to its calls.
        yield* vendorCall(5252, 22, "919876543992")
        yield* press(page.getByRole("button", { name: "Waiting" }))
        yield* press(page.getByRole("link", { name: "5252" }))
        yield* ui(() =>
          page
            .locator('[data-call-type="vendor_confirmation"]', { hasText: "vendor 22" })
            .waitFor({ timeout: 10_000 }),
        )
        expect(yield* ui(() => page.getByLabel("Order id").inputValue())).toBe("5252")
        expect(page.url()).toContain("#orders/5252")

        // An agentless campaign dials: its card shows the requests it made of the account's budget.
        const campaign = yield* post("/campaigns", {
          name: "Lunch confirmations",
          purpose: "order_confirmation",
          dialerType: "agentless",
          contacts: [{ phone: "+919876500011" }, { phone: "+919876500012" }],
        })
        expect(campaign.status).toBe(201)
        yield* press(page.getByRole("button", { name: "Campaigns" }))
        const card = page.locator(`[data-campaign-id="${String(campaign.body.id)}"]`)
        yield* ui(() => card.locator(".budget-share:not([data-requests='0'])").waitFor({ timeout: 20_000 }))
        expect(yield* ui(() => card.locator(".budget-share").textContent())).toMatch(
          /Exotel budget: [12] \/ 200 a minute \([01]\.\d%\)/,
        )
        expect(yield* ui(() => page.getByTestId("budget-total").textContent())).toContain("of 200 requests")
        yield* shot(page, "campaign-budget-share")
        yield* fitsThePhone(page)

        // A preview campaign: the operator sees the next contact for its agent and presses Call.
        const preview = yield* post("/campaigns", {
          name: "Preview callbacks",
          purpose: "order_confirmation",
          dialerType: "preview",
          template: "Hi {{name}}, about order {{orderId}}",
          contacts: [
            { phone: "+919876500021", name: "Ravi", metadata: { orderId: "ORD-1" } },
            { phone: "+919876500022", name: "Meena" },
          ],
        })
        const previewId = String(preview.body.id)
        expect(
          (yield* post("/agents", { name: "Vik", phone: "+919812345679", campaignId: previewId })).status,
        ).toBe(201)
        yield* press(page.getByRole("button", { name: "Preview" }))
        const next = page.getByRole("article", { name: "Next contact" })
        yield* ui(() => next.filter({ hasText: "Ravi" }).waitFor({ timeout: 10_000 }))
        expect(yield* ui(() => next.textContent())).toContain("Hi Ravi, about order ORD-1")
        yield* shot(page, "preview-contact")
        yield* press(next.getByRole("button", { name: "Call" }))
        yield* ui(() => page.getByTestId("preview-note").filter({ hasText: "Calling Ravi" }).waitFor())
        yield* eventually(
          get(`/campaigns/${previewId}/stats`),
          (s) => Number(s.body.dialled) === 1,
          "15 seconds",
        )
        // The next contact is offered; the agent is busy on Ravi's call, so only Skip is open.
        yield* ui(() => next.filter({ hasText: "Meena" }).waitFor({ timeout: 10_000 }))
        yield* shot(page, "preview-called")

        // Business hours that open in an hour: a payment reminder scheduled now waits for them.
        const timing = { ...allowAll, businessHoursStart: istClock(60), businessHoursEnd: istClock(120) }
        expect((yield* put("/config/timing", timing)).status).toBe(200)
        const scheduled = yield* post("/scheduled-calls", {
          phone: "+919876500031",
          purpose: "payment_reminder",
        })
        expect(scheduled.status).toBe(201)
        yield* press(page.getByRole("button", { name: "Scheduled" }))
        const row = page.locator(`tr[data-scheduled-id="${String(scheduled.body.id)}"]`)
        yield* ui(() => row.waitFor({ timeout: 10_000 }))
        expect(yield* ui(() => row.getAttribute("data-waiting"))).toBe("business_hours")
        expect(yield* ui(() => row.textContent())).toContain("Outside business hours")
        yield* shot(page, "scheduled-due-next")
        yield* fitsThePhone(page)
        expect(errors).toEqual([])
      }),
    120_000,
  )
})
