// One campaign's dialer loop. Each wake it settles the attempts whose calls have ended (from the calls table,
// so a restart loses nothing), checks the error-rate bound, waits for the campaign's start and its allowed
// hours, asks its pacing policy how many calls to launch, claims that many contacts in the database and places
// their calls. Wakes come from call status changes, pokes (agents, previews, commands) and timers.
import { randomBytes } from "node:crypto"
import { Clock, Context, Duration, Effect, FiberSet, Option, Queue, Stream } from "effect"
import { Settings } from "../config/Settings.js"
import type { ContactOutcome } from "../domain/Campaign.js"
import type { TimingConfig } from "../domain/Timing.js"
import { campaignFigures, launchesFor } from "../policy/campaign/launches.js"
import { transition } from "../policy/campaign/lifecycle.js"
import { outcomeOfCallStatus, resolveAttempt } from "../policy/campaign/outcome.js"
import type { PaceState } from "../policy/pacing/pace.js"
import { retryDelays } from "../policy/retry.js"
import { isAllowedAt, nextAllowedInstant } from "../policy/timing/decide.js"
import { type CallRecord, CallsRepo } from "../store/CallsRepo.js"
import { type CampaignRecord, CampaignsRepo } from "../store/CampaignsRepo.js"
import {
  type AttemptResolution,
  type ClaimedContact,
  DialerStore,
  type OpenAttempt,
} from "../store/DialerStore.js"
import { ExotelClient } from "../upstream/exotel/ExotelClient.js"
import { asBackgroundWork, bulkHorizonMs, RateBudget, wallSleep } from "../upstream/exotel/RateBudget.js"
import { CallStatusChanges, isTerminalCallStatus, statusChangeOf } from "./CallStatusChanges.js"

export interface CampaignRunnerOptions {
  /** The rolling window the answer and abandon rates are measured over. */
  readonly window: Duration.Duration
  /** Resolved attempts needed before the error rate may pause a campaign. */
  readonly errorSample: number
  /** A call with a sid and no final status after this long is looked up at Exotel (its callback was lost). */
  readonly reconcileAfter: Duration.Duration
  /**
   * A call claimed but never acknowledged by Exotel (no sid) after this long, and not being placed by this
   * process, was being placed by a process that died: the call is looked for at Exotel and adopted, or placed
   * again for the same attempt if Exotel has none.
   */
  readonly orphanAfter: Duration.Duration
  /** The longest a runner with calls open sleeps without a wake. */
  readonly backstop: Duration.Duration
}

export class CampaignRunnerConfig extends Context.Reference<CampaignRunnerConfig>()("CampaignRunnerConfig", {
  defaultValue: (): CampaignRunnerOptions => ({
    window: Duration.minutes(15),
    errorSample: 20,
    reconcileAfter: Duration.seconds(30),
    orphanAfter: Duration.seconds(60),
    backstop: Duration.seconds(5),
  }),
}) {}

/**
 * Stop, or wait for a wake until an instant (epoch ms; null: no timer). A step held back by the Exotel rate
 * budget also wakes after the budget's horizon of wall-clock time, the clock the budget is counted on.
 */
type Step =
  | { readonly _tag: "Stop" }
  | { readonly _tag: "Wait"; readonly until: number | null; readonly budgetPaused?: boolean }
const stop: Step = { _tag: "Stop" }

export interface RunnerWiring {
  readonly callStatusUrl: (token: string) => string
  /** The gateway's voice-stream socket: an agentless campaign's call is connected straight to it. */
  readonly voiceStreamUrl: (callId: string) => string
  readonly wakes: Queue.Queue<void>
}

export const runCampaign = (campaignId: string, wiring: RunnerWiring) =>
  Effect.gen(function* () {
    const options = yield* CampaignRunnerConfig
    const campaigns = yield* CampaignsRepo
    const dialer = yield* DialerStore
    const calls = yield* CallsRepo
    const exotel = yield* ExotelClient
    const budget = yield* RateBudget
    const settings = yield* Settings
    const statusChanges = yield* CallStatusChanges
    const placing = new Set<string>()
    const reconciledAt = new Map<string, number>()
    const placements = yield* FiberSet.make<void>()
    const wake = Queue.offer(wiring.wakes, undefined)
    let pace: PaceState | undefined

    yield* Effect.flatMap(statusChanges.subscribe, (changes) =>
      changes.pipe(
        Stream.filter((change) => change.kind === "campaign"),
        Stream.runForEach(() => wake),
      ),
    ).pipe(Effect.forkScoped)

    const nowDate = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

    /** How an attempt that ended so is settled: a retry slot from the retry schedule, or done. */
    const resolution = (
      campaign: CampaignRecord,
      timing: TimingConfig,
      attempt: { readonly contactId: string; readonly callId: string; readonly attempts: number },
      outcome: ContactOutcome,
      detail: string,
      now: number,
    ) =>
      Effect.map(retryDelays(campaign.retryConfig), (delays): AttemptResolution => {
        const next = resolveAttempt({
          outcome,
          attempts: attempt.attempts,
          endedAt: now,
          retry: campaign.retryConfig,
          delays,
          timing,
          purpose: campaign.purpose,
        })
        return {
          contactId: attempt.contactId,
          callId: attempt.callId,
          attempt: attempt.attempts,
          outcome,
          retryAt: next._tag === "Retry" ? new Date(next.at) : null,
          detail:
            next._tag === "Retry" ? `${detail}; retry at ${new Date(next.at).toISOString()}` : next.reason,
          now: new Date(now),
        }
      })

    /** Exotel's own record of a call whose callbacks never came (the gateway was down when they were sent). */
    const reconcile = (open: OpenAttempt, callSid: string) =>
      // A status look-up that reconciliation needs is interactive work: it goes before the campaign's own dials.
      exotel.callDetails(callSid).pipe(
        Effect.flatMap((upstream) =>
          Effect.flatMap(calls.find(open.callId), (found) =>
            Option.match(found, {
              onNone: () => Effect.succeed(false),
              onSome: (call: CallRecord) =>
                calls
                  .recordStatus(call, upstream.Sid, upstream.Status, {
                    recordingUrl: upstream.RecordingUrl,
                    durationSeconds: upstream.Duration,
                    payload: { source: "campaign-reconcile", Status: upstream.Status },
                  })
                  .pipe(
                    Effect.tap((changed) =>
                      changed
                        ? statusChanges.publish(
                            statusChangeOf(call, upstream.Sid, upstream.Status, upstream.Duration),
                          )
                        : Effect.void,
                    ),
                  ),
            }),
          ),
        ),
        Effect.catchAll((error) => Effect.logWarning("campaign call reconcile failed", error.message)),
      )

    const sweep = (campaign: CampaignRecord, timing: TimingConfig, now: number) =>
      Effect.gen(function* () {
        const agentless = campaign.dialerType === "agentless"
        const settled: Array<AttemptResolution> = []
        const orphans: Array<OpenAttempt> = []
        for (const open of yield* dialer.openAttempts(campaign.id)) {
          if (placing.has(open.callId)) continue
          const attempt = { contactId: open.contactId, callId: open.callId, attempts: open.attempts }
          const terminal = isTerminalCallStatus(open.callStatus)
          const answeredNow =
            !open.answered && (open.callStatus === "in-progress" || open.callStatus === "completed")
          let abandoned = open.answered && !agentless && open.agentId === null
          // An agentless call needs no agent: its answer is recorded with its end, in one batch.
          if (answeredNow && !(agentless && terminal)) {
            abandoned = (yield* dialer.answer(campaign.id, open, agentless, new Date(now))) === "abandoned"
          }
          if (terminal) {
            const outcome: ContactOutcome =
              open.callStatus === "completed" && abandoned
                ? "abandoned"
                : outcomeOfCallStatus(open.callStatus)
            const settles = yield* resolution(
              campaign,
              timing,
              attempt,
              outcome,
              `call ${open.callStatus}`,
              now,
            )
            settled.push(agentless && answeredNow ? { ...settles, answered: "connected_now" } : settles)
            reconciledAt.delete(open.callId)
            continue
          }
          const age = now - open.contactUpdatedAt.getTime()
          if (open.callSid === null && age > Duration.toMillis(options.orphanAfter)) {
            // Claimed by a process that stopped before Exotel acknowledged the call (see recoverOrphans).
            orphans.push(open)
          } else if (
            open.callSid !== null &&
            age > Duration.toMillis(options.reconcileAfter) &&
            now - (reconciledAt.get(open.callId) ?? 0) > Duration.toMillis(options.reconcileAfter)
          ) {
            reconciledAt.set(open.callId, now)
            yield* reconcile(open, open.callSid)
          }
        }
        yield* dialer.resolve(campaign.id, settled)
        if (orphans.length === 0) return
        const taken: Array<OpenAttempt> = []
        const staleBefore = new Date(now - Duration.toMillis(options.orphanAfter))
        for (const open of orphans) {
          if (yield* dialer.takeOver(open, staleBefore, new Date(now))) {
            placing.add(open.callId)
            taken.push(open)
          }
        }
        if (taken.length > 0) yield* FiberSet.run(placements, recoverOrphans(campaign, timing, taken))
      })

    /**
     * Attempts whose placing process died before Exotel's answer was recorded. Whether the request reached
     * Exotel is asked of Exotel's bulk call details: a call to the contact created since the claim that no
     * calls row knows is that attempt's call, and is adopted; with none, the call never left, and is placed
     * now for the same attempt. One at a time, so that two contacts with one number never adopt one call.
     * If Exotel cannot say, the attempt stays open and is asked about again after `orphanAfter`.
     */
    const recoverOrphans = (
      campaign: CampaignRecord,
      timing: TimingConfig,
      taken: ReadonlyArray<OpenAttempt>,
    ) =>
      Effect.forEach(
        taken,
        (open) =>
          Effect.gen(function* () {
            const since = open.callCreatedAt.getTime() - 60_000
            // An agentless call dials the contact first (From); any other rings the agent line, then the contact.
            const listed = yield* campaign.dialerType === "agentless"
              ? exotel.callsFrom(open.phone, since)
              : exotel.callsTo(open.phone, since)
            for (const candidate of listed) {
              // Known to another row: some other call. Known to this one: a late callback already told us.
              const known = yield* calls.find(candidate.Sid)
              if (Option.isSome(known) && known.value.id !== open.callId) continue
              yield* dialer.recovered(
                campaign.id,
                open,
                { _tag: "Adopted", callSid: candidate.Sid },
                yield* nowDate,
              )
              placing.delete(open.callId)
              reconciledAt.set(open.callId, yield* Clock.currentTimeMillis)
              // Its callbacks went to the process that died: Exotel is asked where the call is now.
              return yield* reconcile(open, candidate.Sid)
            }
            yield* dialer.recovered(campaign.id, open, { _tag: "Redialled" }, yield* nowDate)
            yield* place(campaign, timing, {
              contactId: open.contactId,
              phone: open.phone,
              attempt: open.attempts,
              callId: open.callId,
              callbackToken: open.callbackToken,
            })
          }).pipe(
            Effect.catchAll((error) =>
              Effect.logWarning(
                "A campaign call left by a stopped process could not be checked at Exotel",
              ).pipe(Effect.annotateLogs({ callId: open.callId, error: error.message })),
            ),
            Effect.ensuring(Effect.sync(() => placing.delete(open.callId)).pipe(Effect.zipRight(wake))),
          ),
        { discard: true },
      )

    const place = (campaign: CampaignRecord, timing: TimingConfig, claimed: ClaimedContact) =>
      asBackgroundWork(
        exotel.connectCall({
          ...(campaign.dialerType === "agentless"
            ? // No agent to bridge to: Exotel connects the contact straight to the voice stream (Connect Voice
              // AI), where a scripted session says the campaign's message.
              {
                from: claimed.phone,
                streamUrl: wiring.voiceStreamUrl(claimed.callId),
                streamType: "bidirectional" as const,
              }
            : { from: campaign.agentLine ?? campaign.callerId, to: claimed.phone }),
          callerId: campaign.callerId,
          customField: `campaign:${campaign.id}`,
          statusCallback: wiring.callStatusUrl(claimed.callbackToken),
          statusCallbackEvents: ["terminal", "answered"],
        }),
      ).pipe(
        Effect.matchEffect({
          onSuccess: (call) => calls.accepted(claimed.callId, call.Sid, "initiated"),
          onFailure: (error) =>
            Effect.gen(function* () {
              yield* calls.failed(claimed.callId, error.message)
              const settles = yield* resolution(
                campaign,
                timing,
                { contactId: claimed.contactId, callId: claimed.callId, attempts: claimed.attempt },
                // A refused request stays refused; an unreachable Exotel may take it later.
                error._tag === "ExotelRejected" ? "failed" : "network_error",
                `Exotel: ${error.message}`,
                yield* Clock.currentTimeMillis,
              )
              yield* dialer.resolve(campaign.id, [settles])
            }),
        }),
        Effect.ensuring(Effect.sync(() => placing.delete(claimed.callId)).pipe(Effect.zipRight(wake))),
      )

    const moveTo = (campaign: CampaignRecord, command: "pause" | "complete", reason: string) =>
      Effect.gen(function* () {
        const moved = transition(campaign.status, command)
        if (moved._tag === "Impossible") return
        yield* campaigns.setStatus(campaign.id, campaign.status, moved.status, reason, yield* nowDate)
        yield* Effect.logInfo(`campaign ${command}`).pipe(
          Effect.annotateLogs({ campaignId: campaign.id, reason }),
        )
      })

    const step: Effect.Effect<Step> = Effect.gen(function* () {
      const found = yield* campaigns.find(campaignId)
      if (Option.isNone(found) || found.value.status !== "active") return stop
      const campaign = found.value
      const now = yield* Clock.currentTimeMillis
      const timing = (yield* settings.current).timing
      yield* sweep(campaign, timing, now)

      const errors = yield* dialer.errorCounts(campaign.id, campaign.errorsSince)
      if (
        errors.resolved >= options.errorSample &&
        errors.errors / errors.resolved > campaign.errorRateBound
      ) {
        yield* moveTo(
          campaign,
          "pause",
          `error rate ${(errors.errors / errors.resolved).toFixed(3)} over ${errors.resolved} attempts passed the bound ${campaign.errorRateBound}`,
        )
        return stop
      }

      const measured = yield* dialer.figures(
        campaign.id,
        new Date(now),
        new Date(now - Duration.toMillis(options.window)),
      )
      if (measured.open === 0) {
        yield* moveTo(campaign, "complete", "every contact is done")
        return stop
      }
      // Only calls being dialled need a timer (a callback may be lost); otherwise wakes and due times suffice.
      const backstop = measured.dialling > 0 ? now + Duration.toMillis(options.backstop) : null
      const soonest = (at: number | null): Step => ({
        _tag: "Wait",
        until: backstop === null ? at : Math.min(at ?? backstop, backstop),
      })

      const startAt = campaign.scheduleAt.getTime()
      if (now < startAt) return soonest(startAt)
      if (!isAllowedAt(now, timing, campaign.purpose, "call")) {
        const next = nextAllowedInstant(now, timing, campaign.purpose, "call")
        return soonest(next)
      }

      const decided = launchesFor(
        campaign.dialerType,
        campaignFigures(campaign.dialerType, measured),
        campaign.pacingConfig,
        pace,
      )
      pace = decided.pace
      // The account's budget is a pacing input too: no more calls are claimed than it can take over its horizon,
      // less those claimed already and still waiting for a token, so no contact sits claimed behind the budget.
      const allowance =
        decided.launches > 0 ? Math.max(0, (yield* budget.bulkAllowance(bulkHorizonMs)) - placing.size) : 0
      const launches = Math.min(decided.launches, allowance)
      const budgetPaused = launches < decided.launches
      if (launches > 0) {
        const claimed = yield* dialer.claim(
          campaign.id,
          campaign.dialerType === "preview" ? "accepted" : "pending",
          launches,
          new Date(now),
          (contact) => ({
            id: `call_${randomBytes(12).toString("base64url")}`,
            kind: "campaign",
            status: "initiated",
            ...(campaign.dialerType === "agentless"
              ? { fromNumber: contact.phone, toNumber: null }
              : { fromNumber: campaign.agentLine ?? campaign.callerId, toNumber: contact.phone }),
            callerId: campaign.callerId,
            purpose: campaign.purpose,
            reason: `campaign ${campaign.id} attempt ${contact.attempt}`,
            orderId: null,
            customField: `campaign:${campaign.id}`,
            record: false,
            timeLimit: null,
            clientCallback: null,
            callbackToken: randomBytes(18).toString("base64url"),
          }),
        )
        for (const contact of claimed) {
          placing.add(contact.callId)
          yield* FiberSet.run(placements, place(campaign, timing, contact))
        }
      }
      const nextDue = measured.nextDueAt === null ? null : measured.nextDueAt.getTime()
      return { ...soonest(nextDue !== null && nextDue > now ? nextDue : null), budgetPaused }
    })

    while (true) {
      const next = yield* step
      if (next._tag === "Stop") break
      // The wait is measured from the clock now, not from the step's start: the step took time.
      const now = yield* Clock.currentTimeMillis
      yield* Effect.raceAll([
        Queue.take(wiring.wakes),
        next.until === null ? Effect.never : Effect.sleep(Duration.millis(Math.max(0, next.until - now))),
        next.budgetPaused === true ? wallSleep(bulkHorizonMs) : Effect.never,
      ])
      // Many status changes arrive together: one sweep settles them all.
      yield* Queue.takeAll(wiring.wakes)
    }
    // Paused, cancelled or complete: calls already being placed finish and are recorded.
    yield* FiberSet.awaitEmpty(placements)
  }).pipe(Effect.scoped, Effect.annotateLogs({ campaignId }))
