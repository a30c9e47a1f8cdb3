// The supervisor of campaign runners: one per active campaign, started at boot and when a campaign is created
// or resumed, restarted after a crash, and left to stop by itself when its campaign is paused, cancelled or
// complete (so calls it is placing are still recorded).
import { Cause, Config, Context, Deferred, Duration, Effect, FiberMap, Layer, Queue, Schedule } from "effect"
import type { CallbackUrlsShape } from "../config/callbackUrls.js"
import { CampaignsRepo } from "../store/CampaignsRepo.js"
import { CampaignRunnerConfig, runCampaign } from "./CampaignRunner.js"

export interface RunnerUrls {
  readonly callStatus: (token: string) => string
  readonly voiceStream: CallbackUrlsShape["voiceStream"]
}

export interface CampaignRunnersShape {
  /** Starts the campaign's runner unless it runs already, and wakes it. */
  readonly start: (campaignId: string) => Effect.Effect<void>
  /** Wakes the runner, if any: something it paces on changed (an agent, a preview, the campaign's status). */
  readonly poke: (campaignId: string) => Effect.Effect<void>
  /**
   * Gives the runners the status-callback and voice-stream URLs. They are known only once the HTTP server is
   * bound, so the runners wait for them before their first call.
   */
  readonly attach: (urls: RunnerUrls) => Effect.Effect<void>
}

export class CampaignRunners extends Context.Tag("CampaignRunners")<
  CampaignRunners,
  CampaignRunnersShape
>() {}

export const CampaignRunnersLive = Layer.scoped(
  CampaignRunners,
  Effect.gen(function* () {
    const campaigns = yield* CampaignsRepo
    const urls = yield* Deferred.make<RunnerUrls>()
    const runners = yield* FiberMap.make<string>()
    const wakes = new Map<string, Queue.Queue<void>>()
    const context = yield* Effect.context<Effect.Effect.Context<ReturnType<typeof runCampaign>>>()
    // How long a call may stay open before Exotel is asked about it, and before a call claimed by a process
    // that died is given up as uncertain: short in tests that kill the gateway, a minute or so in production.
    const seconds = (name: string) => Config.option(Config.integer(name))
    const [reconcile, orphan] = yield* Effect.all([
      seconds("CAMPAIGN_RECONCILE_SECONDS"),
      seconds("CAMPAIGN_ORPHAN_SECONDS"),
    ]).pipe(Effect.orDie)
    const defaults = yield* CampaignRunnerConfig
    const options = {
      ...defaults,
      reconcileAfter: reconcile._tag === "Some" ? Duration.seconds(reconcile.value) : defaults.reconcileAfter,
      orphanAfter: orphan._tag === "Some" ? Duration.seconds(orphan.value) : defaults.orphanAfter,
    }

    const supervised = (campaignId: string, queue: Queue.Queue<void>) =>
      Effect.gen(function* () {
        const { callStatus, voiceStream } = yield* Deferred.await(urls)
        const run = runCampaign(campaignId, {
          callStatusUrl: callStatus,
          voiceStreamUrl: (callId) => voiceStream({ _tag: "Call", id: callId }),
          wakes: queue,
        }).pipe(
          Effect.catchAllCause((cause) =>
            Effect.logError("campaign runner crashed; restarting it", Cause.pretty(cause)).pipe(
              Effect.zipRight(Effect.fail("crashed" as const)),
            ),
          ),
          Effect.retry(
            Schedule.exponential("200 millis").pipe(Schedule.either(Schedule.spaced("10 seconds"))),
          ),
        )
        // A resume that came while the runner was winding down found it still registered: run again.
        let active = true
        while (active) {
          yield* run
          const campaign = yield* campaigns.find(campaignId)
          active = campaign._tag === "Some" && campaign.value.status === "active"
        }
      }).pipe(
        Effect.ensuring(Effect.sync(() => wakes.delete(campaignId))),
        Effect.provide(context),
        Effect.provideService(CampaignRunnerConfig, options),
      )

    const poke = (campaignId: string) => {
      const queue = wakes.get(campaignId)
      return queue === undefined ? Effect.void : Effect.asVoid(Queue.offer(queue, undefined))
    }

    const start = (campaignId: string) =>
      Effect.gen(function* () {
        if (wakes.has(campaignId)) return yield* poke(campaignId)
        const queue = yield* Queue.sliding<void>(1)
        wakes.set(campaignId, queue)
        yield* FiberMap.run(runners, campaignId, supervised(campaignId, queue), { onlyIfMissing: true })
      })

    yield* Effect.gen(function* () {
      yield* Deferred.await(urls)
      for (const id of yield* campaigns.active) yield* start(id)
    }).pipe(Effect.forkScoped)

    return CampaignRunners.of({
      start,
      poke,
      attach: (given) => Effect.asVoid(Deferred.succeed(urls, given)),
    })
  }),
)
