// A few speech threads (espeakWorker.mjs) and one queue in front of them: a request waits for the first free
// thread, and a thread takes one request at a time. The gateway's thread only posts text and receives PCM.
import { availableParallelism } from "node:os"
import { Worker } from "node:worker_threads"
import { Data, Effect } from "effect"
import { concatPcm } from "../audio.js"
import type { SpeechSentence } from "./espeakText.js"

export class SpeechEngineFailed extends Data.TaggedError("SpeechEngineFailed")<{
  readonly message: string
}> {}

export interface EspeakPoolStats {
  readonly requests: number
  /** Milliseconds each thread took to load the engine and speak its warm-up. */
  readonly warmUpMs: ReadonlyArray<number>
  /** Synthesis and resampling time of the requests so far, per sentence. */
  readonly synthesisMsPerSentence: number
  /** The longest wait for a free thread so far. */
  readonly maxQueueWaitMs: number
}

export interface Spoken {
  /** PCM16LE mono at the rate asked for: the sentences end to end. */
  readonly pcm: Uint8Array
  /** Each sentence's PCM, in order. */
  readonly parts: ReadonlyArray<Uint8Array>
  /** How long the request waited for a free thread. */
  readonly queueWaitMs: number
  /** How long the thread took to synthesize and resample it. */
  readonly synthesisMs: number
}

export interface EspeakPool {
  readonly speak: (
    sentences: ReadonlyArray<SpeechSentence>,
    sampleRate: number,
  ) => Effect.Effect<Spoken, SpeechEngineFailed>
  /** Succeeds once every thread has loaded the engine and spoken its warm-up, with each one's milliseconds. */
  readonly ready: Effect.Effect<ReadonlyArray<number>, SpeechEngineFailed>
  readonly stats: () => EspeakPoolStats
}

type Reply =
  | { readonly type: "ready"; readonly ms: number }
  | {
      readonly type: "spoken"
      readonly id: number
      readonly parts: ReadonlyArray<ArrayBuffer>
      readonly ms: number
    }
  | { readonly type: "failed"; readonly id: number; readonly message: string }

const isReply = (value: unknown): value is Reply => {
  if (typeof value !== "object" || value === null || !("type" in value)) return false
  switch (value.type) {
    case "ready":
      return "ms" in value && typeof value.ms === "number"
    case "spoken":
      return (
        "id" in value &&
        "parts" in value &&
        Array.isArray(value.parts) &&
        value.parts.every((p) => p instanceof ArrayBuffer) &&
        "ms" in value
      )
    case "failed":
      return "id" in value && "message" in value && typeof value.message === "string"
    default:
      return false
  }
}

interface Job {
  readonly id: number
  readonly sentences: ReadonlyArray<SpeechSentence>
  readonly sampleRate: number
  readonly queuedAt: number
  readonly done: (result: Effect.Effect<Spoken, SpeechEngineFailed>) => void
}

interface Thread {
  readonly worker: Worker
  readonly ready: Promise<number>
  warm: boolean
  job: Job | undefined
  /** When the current job left the queue. */
  takenAt: number
}

/** One thread fewer than the machine's cores (the gateway's own thread needs one), at least one, at most four. */
export const defaultSpeechThreads = () => Math.max(1, Math.min(4, availableParallelism() - 1))

/**
 * Starts `threads` speech threads, each of which speaks `warmUp` before it takes a request, so that no caller
 * pays for the engine's slow first calls. Returns at once (requests wait for a warm thread); the threads end
 * with the scope.
 */
export const makeEspeakPool = (options: {
  readonly threads: number
  readonly warmUp: ReadonlyArray<SpeechSentence>
}) =>
  Effect.gen(function* () {
    const queue: Array<Job> = []
    const threads: Array<Thread> = []
    let nextId = 0
    let closed = false
    let requests = 0
    let sentencesSpoken = 0
    let synthesisMs = 0
    let maxQueueWaitMs = 0

    const dispatch = (thread: Thread) => {
      const job = queue.shift()
      thread.job = job
      if (job === undefined) return
      thread.takenAt = performance.now()
      maxQueueWaitMs = Math.max(maxQueueWaitMs, thread.takenAt - job.queuedAt)
      thread.worker.postMessage({
        type: "speak",
        id: job.id,
        sentences: job.sentences,
        sampleRate: job.sampleRate,
      })
    }

    const spawn = (): Thread => {
      const worker = new Worker(new URL("./espeakWorker.mjs", import.meta.url), {
        workerData: { warmUp: options.warmUp },
      })
      // Idle speech threads do not keep the process alive; the scope terminates them.
      worker.unref()
      let markReady: (ms: number) => void = () => undefined
      let markFailed: (error: Error) => void = () => undefined
      const ready = new Promise<number>((resolve, reject) => {
        markReady = resolve
        markFailed = reject
      })
      // Whoever waits on a thread's start hears of its failure; a replacement's is reported by its first job.
      ready.catch(() => undefined)
      const thread: Thread = { worker, ready, warm: false, job: undefined, takenAt: 0 }
      const fail = (message: string) => {
        markFailed(new Error(message))
        const job = thread.job
        thread.job = undefined
        job?.done(Effect.fail(new SpeechEngineFailed({ message })))
      }
      worker.on("message", (message: unknown) => {
        if (!isReply(message)) return
        if (message.type === "ready") {
          thread.warm = true
          markReady(message.ms)
          dispatch(thread)
          return
        }
        const job = thread.job
        if (job === undefined || job.id !== message.id) return
        if (message.type === "spoken") {
          requests += 1
          sentencesSpoken += job.sentences.length
          synthesisMs += message.ms
          const parts = message.parts.map((p) => new Uint8Array(p))
          job.done(
            Effect.succeed({
              pcm: concatPcm(parts),
              parts,
              queueWaitMs: thread.takenAt - job.queuedAt,
              synthesisMs: message.ms,
            }),
          )
        } else {
          job.done(Effect.fail(new SpeechEngineFailed({ message: message.message })))
        }
        dispatch(thread)
      })
      worker.on("error", (error) => fail(String(error.stack ?? error)))
      worker.on("exit", (code) => {
        fail(`a speech thread exited (${code})`)
        const at = threads.indexOf(thread)
        // A thread that died is replaced, so one bad request does not leave the pool short for good.
        if (!closed && at >= 0) threads[at] = spawn()
      })
      return thread
    }

    for (let i = 0; i < Math.max(1, options.threads); i++) threads.push(spawn())
    yield* Effect.addFinalizer(() =>
      Effect.promise(() => {
        closed = true
        for (const job of queue.splice(0))
          job.done(Effect.fail(new SpeechEngineFailed({ message: "closed" })))
        return Promise.all(threads.map((t) => t.worker.terminate()))
      }),
    )
    let warmUpMs: ReadonlyArray<number> = []
    const ready = Effect.tryPromise({
      try: () => Promise.all(threads.map((t) => t.ready)),
      catch: (error) => new SpeechEngineFailed({ message: String(error) }),
    }).pipe(Effect.tap((ms) => Effect.sync(() => (warmUpMs = ms))))

    const speak: EspeakPool["speak"] = (sentences, sampleRate) =>
      Effect.async<Spoken, SpeechEngineFailed>((resume) => {
        if (closed) return resume(Effect.fail(new SpeechEngineFailed({ message: "closed" })))
        const job: Job = { id: nextId++, sentences, sampleRate, queuedAt: performance.now(), done: resume }
        queue.push(job)
        // A thread still warming up takes its first job when it is ready.
        const idle = threads.find((t) => t.warm && t.job === undefined)
        if (idle !== undefined) dispatch(idle)
        return Effect.sync(() => {
          const at = queue.indexOf(job)
          if (at >= 0) queue.splice(at, 1)
        })
      })

    const stats = (): EspeakPoolStats => ({
      requests,
      warmUpMs,
      synthesisMsPerSentence: sentencesSpoken === 0 ? 0 : synthesisMs / sentencesSpoken,
      maxQueueWaitMs,
    })
    return { speak, ready, stats } satisfies EspeakPool
  })
