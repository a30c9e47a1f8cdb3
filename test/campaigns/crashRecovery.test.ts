// A campaign call claimed by a process that died before Exotel's answer was recorded. The claim is made here,
// through the runner's own store, as that process made it; one of the two calls then reaches the simulator
// (its answer lost with the process), the other never leaves. The runner must adopt the first from Exotel's bulk
// call details and place the second for the same attempt: each contact dialled exactly once.
import { randomBytes } from "node:crypto"
import { expect, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import { CampaignRunnerConfig } from "../../src/actors/CampaignRunner.js"
import { CampaignRunners } from "../../src/actors/CampaignRunners.js"
import { DialerStore } from "../../src/store/DialerStore.js"
import {
  defaultExotelClientOptions,
  ExotelClient,
  ExotelClientConfig,
} from "../../src/upstream/exotel/ExotelClient.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { allowAll, get, ledger, post, put } from "../support/upstream.js"
import { callsTo, plainContact, untilCampaign } from "./support.js"

const exoPhone = "08040000000"

const gateway = TestGatewayLive({
  defaultExoPhone: Option.some(exoPhone),
  secretKey: Option.some(Redacted.make("k")),
}).pipe(
  Layer.provide(
    Layer.succeed(ExotelClientConfig, {
      ...defaultExotelClientOptions,
      httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 1 },
    }),
  ),
  // A claim unanswered for a second is presumed left by a dead process.
  Layer.provide(
    Layer.succeed(CampaignRunnerConfig, {
      ...CampaignRunnerConfig.defaultValue(),
      orphanAfter: Duration.seconds(1),
      reconcileAfter: Duration.seconds(1),
      backstop: Duration.seconds(1),
    }),
  ),
)

layer(gateway, { timeout: 60_000, excludeTestServices: true })(
  "a campaign call orphaned by a crash",
  (it) => {
    it.effect("is adopted if Exotel has it, placed for the same attempt if not: once each", () =>
      Effect.gen(function* () {
        expect((yield* put("/config/timing", allowAll)).status).toBe(200)
        const [reached, neverSent] = [plainContact(1, 4), plainContact(2, 4)]
        // Progressive with no agents: the runner itself launches nothing; only the claims below dial.
        const created = yield* post("/campaigns", {
          name: "Orphans",
          purpose: "order_confirmation",
          dialerType: "progressive",
          contacts: [{ phone: reached }, { phone: neverSent }],
        })
        expect(created.status).toBe(201)
        const id = String(created.body.id)

        const dialer = yield* DialerStore
        const claimed = yield* dialer.claim(id, "pending", 2, new Date(), (contact) => ({
          id: `call_${randomBytes(12).toString("base64url")}`,
          kind: "campaign",
          status: "initiated",
          fromNumber: exoPhone,
          toNumber: contact.phone,
          callerId: exoPhone,
          purpose: "order_confirmation",
          reason: `campaign ${id} attempt ${contact.attempt}`,
          orderId: null,
          customField: `campaign:${id}`,
          record: false,
          timeLimit: null,
          clientCallback: null,
          callbackToken: randomBytes(18).toString("base64url"),
        }))
        expect(claimed.map((c) => c.phone).sort()).toEqual([reached, neverSent].sort())
        // The dead process's request that reached Exotel: its answer, and its callbacks, went nowhere.
        const exotel = yield* ExotelClient
        yield* exotel.connectCall({
          from: exoPhone,
          to: reached,
          callerId: exoPhone,
          customField: `campaign:${id}`,
        })

        // The runner hears of the open attempts as a restarted one would find them.
        yield* Effect.flatMap(CampaignRunners, (runners) => runners.poke(id))
        yield* untilCampaign(id, "completed", "30 seconds")
        const counts = callsTo((yield* ledger).all())
        expect([counts.get(reached), counts.get(neverSent)]).toEqual([1, 1])
        const stats = yield* get(`/campaigns/${id}/stats`)
        expect(stats.body).toMatchObject({ total: 2, dialled: 2, adopted: 1, redialled: 1, uncertain: 0 })
      }),
    )
  },
)
