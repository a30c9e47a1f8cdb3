// The supervisor of campaign runners: one per active campaign, started at boot and when a campaign is created
// or resumed, restarted after a crash, and left to stop by itself when its campaign is paused, cancelled or
// complete (so calls it is placing are still recorded).
//
// The supervisor is one cluster singleton, not an entity per campaign: exactly one process dials any campaign,
// because exactly one process holds the singleton's shard. A campaign's runner needs no message to start, since
// everything it does comes from its rows; one supervisor that starts every active campaign where it lands is the
// simplest owner that survives a move, and the Exotel rate budget, shared by the account, bounds the dialling
// more than one process's core does. When the process holding it dies, another runner takes the shard (within
// about 6 s, cluster/Cluster.ts) and the supervisor starts there: each runner resumes from its campaign's rows,
// and recovers the calls that were being placed as crash recovery always has (CampaignRunner's sweep).
//
// Other processes reach it by NOTIFY on a PostgreSQL server: a campaign started, resumed or poked there, and
// the status callbacks of campaign calls that land there, which wake the runners as a local callback does.

import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import {
  Cause,
  Config,
  Context,
  Deferred,
  Duration,
  Effect,
  FiberMap,
  Layer,
  Option,
  Queue,
  Ref,
  Schedule,
  Stream,
} from "effect"
import { runAsSingleton } from "../cluster/Cluster.js"
import type { CallbackUrlsShape } from "../config/callbackUrls.js"
import { GatewayEnv } from "../config/Env.js"
import { CampaignsRepo } from "../store/CampaignsRepo.js"
import { CallStatusChanges } from "./CallStatusChanges.js"
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

/** What the supervisor does for a campaign, wherever it is asked. */
type Request = { readonly _tag: "Start" | "Poke"; readonly campaignId: string } | { readonly _tag: "WakeAll" }

const wakeChannel = "campaign_runner_wakes"

// The payload of a NOTIFY: never empty (PgClient.listen drops empty payloads).
const encodeRequest = (request: Request) =>
  request._tag === "WakeAll"
    ? "wake-all"
    : `${request._tag === "Start" ? "start" : "poke"}:${request.campaignId}`

const decodeRequest = (payload: string): Option.Option<Request> => {
  if (payload === "wake-all") return Option.some({ _tag: "WakeAll" })
  const match = /^(start|poke):(.+)$/.exec(payload)
  return match === null
    ? Option.none()
    : Option.some({ _tag: match[1] === "start" ? "Start" : "Poke", campaignId: match[2] ?? "" })
}

/** Active campaigns with no runner are looked for this often: a backstop for a lost notification. */
const rescanEvery = Duration.seconds(10)

export const CampaignRunnersLive = Layer.scoped(
  CampaignRunners,
  Effect.gen(function* () {
    const campaigns = yield* CampaignsRepo
    const sql = yield* SqlClient.SqlClient
    const pg = yield* PgClient.PgClient
    const statusChanges = yield* CallStatusChanges
    // Only runners of a cluster hear from each other; a single runner is asked in-process only.
    const clustered = Option.isSome((yield* GatewayEnv).clusterRunner)
    const urls = yield* Deferred.make<RunnerUrls>()
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

    /** The supervisor while this process holds it; none while another process does. */
    const here = yield* Ref.make(Option.none<(request: Request) => Effect.Effect<void>>())

    const supervisor = Effect.gen(function* () {
      const runners = yield* FiberMap.make<string>()
      const wakes = new Map<string, Queue.Queue<void>>()

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

      const startActive = Effect.flatMap(campaigns.active, (ids) =>
        Effect.forEach(ids, (id) => (wakes.has(id) ? Effect.void : start(id)), { discard: true }),
      )

      const handle = (request: Request): Effect.Effect<void> => {
        switch (request._tag) {
          case "Start":
            return start(request.campaignId)
          case "Poke":
            return poke(request.campaignId)
          case "WakeAll":
            return Effect.forEach([...wakes.keys()], poke, { discard: true })
        }
      }

      // Set before the first look at the campaigns: one created meanwhile is then started by its own request.
      yield* Effect.acquireRelease(Ref.set(here, Option.some(handle)), () => Ref.set(here, Option.none()))
      yield* Deferred.await(urls)
      if (clustered) {
        yield* pg.listen(wakeChannel).pipe(
          Stream.runForEach((payload) =>
            Option.match(decodeRequest(payload), { onNone: () => Effect.void, onSome: handle }),
          ),
          Effect.tapErrorCause((cause) => Effect.logWarning("Campaign wake listener stopped", cause)),
          Effect.retry(Schedule.spaced("5 seconds")),
          Effect.forkScoped,
        )
      }
      yield* startActive
      if (clustered) {
        // Also a backstop for a wake sent before the listener above was listening.
        yield* startActive.pipe(
          Effect.catchAllCause((cause) => Effect.logWarning("Looking for active campaigns failed", cause)),
          Effect.repeat(Schedule.spaced(rescanEvery)),
          Effect.forkScoped,
        )
      }
    })

    yield* runAsSingleton("CampaignRunners", supervisor)

    // pg_notify, not PgClient.notify (shared/STACK.md).
    const announce = (request: Request) =>
      sql`SELECT pg_notify(${wakeChannel}, ${encodeRequest(request)})`.pipe(
        Effect.catchAllCause((cause) => Effect.logWarning("A campaign wake could not be sent", cause)),
      )

    /** To the supervisor: here if this process holds it, else by NOTIFY to whichever does. */
    const ask = (request: Request) =>
      Effect.flatMap(Ref.get(here), (local) =>
        Option.isSome(local) ? local.value(request) : clustered ? announce(request) : Effect.void,
      )

    // A campaign call's status callback that lands on another process wakes its runner as a local one would.
    if (clustered) {
      yield* Effect.flatMap(statusChanges.subscribe, (changes) =>
        changes.pipe(
          Stream.filter((change) => change.kind === "campaign"),
          Stream.runForEach(() =>
            Effect.flatMap(Ref.get(here), (local) =>
              Option.isSome(local) ? Effect.void : announce({ _tag: "WakeAll" }),
            ),
          ),
        ),
      ).pipe(Effect.forkScoped)
    }

    return CampaignRunners.of({
      start: (campaignId) => ask({ _tag: "Start", campaignId }),
      poke: (campaignId) => ask({ _tag: "Poke", campaignId }),
      attach: (given) => Effect.asVoid(Deferred.succeed(urls, given)),
    })
  }),
)
