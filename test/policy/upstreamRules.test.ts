import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import * as fc from "fast-check"
import { callScript, fillPlaceholders } from "../../src/domain/CallScripts.js"
import { defaultTimingConfig } from "../../src/domain/Timing.js"
import { callRefusal } from "../../src/policy/callAdmission.js"
import {
  admit,
  type BreakerConfig,
  type BreakerState,
  closed,
  onFailure,
  onSuccess,
} from "../../src/policy/circuitBreaker.js"
import { honouringRetryAfter, retrySchedule } from "../../src/policy/retry.js"
import { missingDltField, promoWindowRefusal, smsRefusal } from "../../src/policy/sms/dlt.js"
import { encodingOf, segmentSms } from "../../src/policy/sms/encoding.js"
import { defaultExotelClientOptions, retryAfterMs } from "../../src/upstream/exotel/ExotelClient.js"

const gsmBasic =
  "@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const gsmExtension = "^{}\\[~]|€"

describe("SMS encoding and segments", () => {
  it.each([
    ["a".repeat(160), "GSM-7", 1],
    ["a".repeat(161), "GSM-7", 2],
    ["a".repeat(306), "GSM-7", 2],
    ["a".repeat(307), "GSM-7", 3],
    ["€".repeat(80), "GSM-7", 1],
    ["€".repeat(81), "GSM-7", 2],
    ["ह".repeat(70), "UCS-2", 1],
    ["ह".repeat(71), "UCS-2", 2],
    ["ह".repeat(134), "UCS-2", 2],
    ["ह".repeat(135), "UCS-2", 3],
    ["Your OTP is 1234 😀", "UCS-2", 1],
  ] as const)("%#: %s… is %s in %i part(s)", (body, encoding, segments) => {
    expect(segmentSms(body)).toMatchObject({ encoding, segments })
  })

  it("keeps an escape pair whole: 152 plain characters and a € do not fit one 153-septet part", () => {
    expect(segmentSms(`${"a".repeat(152)}€${"a".repeat(153)}`).segments).toBe(3)
  })

  it("GSM-7 text costs one septet a character and two for the extension table", () =>
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...gsmBasic, ...gsmExtension), maxLength: 600 }),
        (body) => {
          const result = segmentSms(body)
          const extended = Array.from(body).filter((c) => gsmExtension.includes(c)).length
          expect(result.encoding).toBe("GSM-7")
          expect(result.units).toBe(Array.from(body).length + extended)
          if (result.units <= 160) expect(result.segments).toBe(1)
          else {
            expect(result.segments).toBeGreaterThanOrEqual(Math.ceil(result.units / 153))
            expect(result.segments).toBeLessThanOrEqual(Math.ceil(result.units / 152))
          }
        },
      ),
    ))

  it("any character outside GSM-7 makes the whole message UCS-2, counted in UTF-16 units", () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom("ह", "😀", "中", "ß̃"), (text, foreign) => {
        const body = `${text}${foreign}`
        const result = segmentSms(body)
        expect(encodingOf(body)).toBe("UCS-2")
        expect(result.units).toBe(body.length)
        if (result.units <= 70) expect(result.segments).toBe(1)
        else {
          // A surrogate pair is never split, so a part may end one unit short.
          expect(result.segments).toBeGreaterThanOrEqual(Math.ceil(result.units / 67))
          expect(result.segments).toBeLessThanOrEqual(Math.ceil(result.units / 66))
        }
      }),
    ))
})

describe("DLT and the promotional window", () => {
  const timing = { ...defaultTimingConfig, timezone: "Asia/Kolkata" }
  // 2026-03-10 (a Tuesday) in IST.
  const at = (hhmm: string) => Date.parse(`2026-03-10T${hhmm}:00+05:30`)

  it("asks for the entity id first, then the template id", () => {
    expect(missingDltField({ dltEntityId: undefined, dltTemplateId: "t" })?.field).toBe("dltEntityId")
    expect(missingDltField({ dltEntityId: " ", dltTemplateId: "t" })?.field).toBe("dltEntityId")
    expect(missingDltField({ dltEntityId: "e", dltTemplateId: undefined })?.field).toBe("dltTemplateId")
    expect(missingDltField({ dltEntityId: "e", dltTemplateId: "t" })).toBeUndefined()
  })

  it("holds promotional SMS outside 10:00–21:00 and in DND until the window opens; others go at any hour", () => {
    const refusal = promoWindowRefusal(at("08:30"), "promotional", timing)
    expect(refusal).toMatchObject({ _tag: "OutsidePromoWindow", nextAvailableTime: at("10:00") })
    expect(promoWindowRefusal(at("12:00"), "promotional", timing)).toBeUndefined()
    expect(promoWindowRefusal(at("23:30"), "promotional", timing)?.nextAvailableTime).toBe(
      Date.parse("2026-03-11T10:00:00+05:30"),
    )
    expect(promoWindowRefusal(at("23:30"), "transactional", timing)).toBeUndefined()
  })

  it("no promotional SMS is ever admitted inside the DND window", () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 24 * 60 }), (minute) => {
        const instant = Date.parse("2026-01-01T00:00:00+05:30") + minute * 60_000
        const local = new Date(instant + 330 * 60_000)
        const clock = local.getUTCHours() * 60 + local.getUTCMinutes()
        const inDnd = clock >= 21 * 60 || clock < 9 * 60
        const refusal = smsRefusal(instant, "promotional", { dltEntityId: "e", dltTemplateId: "t" }, timing)
        if (inDnd) expect(refusal?._tag).toBe("OutsidePromoWindow")
        if (refusal?._tag === "OutsidePromoWindow" && refusal.nextAvailableTime !== null)
          expect(refusal.nextAvailableTime).toBeGreaterThan(instant)
      }),
    ))

  it("refuses promotional calls outside their window and lets other purposes through", () => {
    expect(callRefusal(at("22:00"), "promotional_offer", timing)?.nextAvailableTime).toBe(
      Date.parse("2026-03-11T10:00:00+05:30"),
    )
    expect(callRefusal(at("22:00"), "order_confirmation", timing)).toBeUndefined()
    expect(callRefusal(at("22:00"), undefined, timing)).toBeUndefined()
    expect(callRefusal(at("12:00"), "abandoned_cart", timing)).toBeUndefined()
  })
})

describe("circuit breaker", () => {
  const config: BreakerConfig = { threshold: 3, openMs: 1_000 }
  type Step = { readonly ok: boolean; readonly dt: number }

  it("opens after `threshold` failures in a row, refuses until openMs has passed, then lets one trial through", () => {
    let state: BreakerState = closed
    for (let i = 0; i < 3; i++) state = onFailure(state, 0, config)
    expect(state).toEqual({ _tag: "Open", until: 1_000 })
    expect(admit(state, 999, config).allowed).toBe(false)
    const trial = admit(state, 1_000, config)
    expect(trial).toMatchObject({ allowed: true, state: { _tag: "HalfOpen" } })
    expect(admit(trial.state, 1_001, config).allowed).toBe(false)
    expect(onFailure(trial.state, 1_002, config)).toEqual({ _tag: "Open", until: 2_002 })
    expect(onSuccess(trial.state)).toEqual(closed)
  })

  it("never refuses while fewer than `threshold` consecutive failures have happened", () =>
    fc.assert(
      fc.property(
        fc.array(fc.record({ ok: fc.boolean(), dt: fc.integer({ min: 0, max: 2_000 }) })),
        (steps: ReadonlyArray<Step>) => {
          let state: BreakerState = closed
          let now = 0
          let run = 0
          for (const step of steps) {
            now += step.dt
            const a = admit(state, now, config)
            if (run < config.threshold) expect(a.allowed).toBe(true)
            if (!a.allowed) continue
            state = step.ok ? onSuccess(a.state) : onFailure(a.state, now, config)
            run = step.ok ? 0 : run + 1
          }
        },
      ),
    ))
})

describe("HTTP retries honour Retry-After", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("3", 0)).toBe(3_000)
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000)
    expect(retryAfterMs("soon", 0)).toBeNull()
    expect(retryAfterMs(undefined, 0)).toBeNull()
  })

  it.effect(
    "waits the longer of the backoff and Retry-After, on virtual time, and stops at maxAttempts",
    () =>
      Effect.gen(function* () {
        const attempts = yield* Ref.make(0)
        const schedule = honouringRetryAfter(
          retrySchedule({ ...defaultExotelClientOptions.httpRetry, jitter: 0 }),
          (error: { retryAfterMs: number | null }) => error.retryAfterMs,
        )
        const fiber = yield* Ref.update(attempts, (n) => n + 1).pipe(
          Effect.zipRight(Effect.fail({ retryAfterMs: 5_000 })),
          Effect.retry(schedule),
          Effect.fork,
        )
        yield* TestClock.adjust("4 seconds")
        expect(yield* Ref.get(attempts)).toBe(1)
        yield* TestClock.adjust("1 second")
        expect(yield* Ref.get(attempts)).toBe(2)
        yield* TestClock.adjust("5 seconds")
        expect(yield* Ref.get(attempts)).toBe(3)
        yield* Fiber.join(fiber).pipe(Effect.flip)
        yield* TestClock.adjust("1 minute")
        expect(yield* Ref.get(attempts)).toBe(3)
      }),
  )
})

describe("call scripts", () => {
  it("fill every placeholder given and leave the others", () => {
    expect(fillPlaceholders("{a} and {b}", { a: "1" })).toBe("1 and {b}")
    expect(callScript("otp_verification", "en").script).toContain("{otp}")
    expect(fillPlaceholders(callScript("otp_verification", "en").script, { otp: "4321" })).not.toContain(
      "{otp}",
    )
  })
})
