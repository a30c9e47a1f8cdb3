// The @effect/cluster runner this process is (docs/cluster.md): its own single runner by default, or one runner
// of many on a PostgreSQL server when CLUSTER_RUNNER_HOST and CLUSTER_RUNNER_PORT are set. Work that exactly one
// process may do at a time (the campaign runners, the scheduled-call dispatcher) is registered as a singleton of
// this cluster; with a single runner it simply runs here.
import { RunnerAddress, Sharding, type ShardingConfig, SingleRunner } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { Clock, Deferred, Effect, Exit, Layer, Option, Scope } from "effect"
import { type ClusterRunner, GatewayEnv } from "../config/Env.js"
import { DatabaseInfo } from "../store/Database.js"

/**
 * Failover within about 6 s of a runner's death (shared/STACK.md measured 4–6 s with these, 33 s with the
 * defaults). A shorter lock expiry would risk a false failover when an event loop stalls under load.
 */
export const failoverSettings = {
  shardLockExpiration: "6 seconds",
  runnerHealthCheckInterval: "2 seconds",
  refreshAssignmentsInterval: "500 millis",
} satisfies Partial<ShardingConfig.ShardingConfig["Type"]>

/**
 * One runner, this process. Its shards are held in memory, not by advisory locks: no other process can take
 * them (an embedded database belongs to one process, and without CLUSTER_* a gateway on a server runs as it
 * always has, each process its own runner). Messages are stored in SQL so durable entities can come later.
 * The runner address is given so that the environment's HOST and PORT, the gateway's own, are not read.
 */
const singleRunner = SingleRunner.layer({
  runnerStorage: "memory",
  shardingConfig: { runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", 0)) },
})

/** One runner of many: shards locked in PostgreSQL, messages between runners over TCP. */
const multiRunner = (runner: ClusterRunner) =>
  NodeClusterSocket.layer({
    storage: "sql",
    shardingConfig: {
      runnerAddress: Option.some(RunnerAddress.make(runner.host, runner.port)),
      shardsPerGroup: runner.shards,
      ...failoverSettings,
    },
  })

/** Two-key advisory locks live apart from the single-key ones the shard locks use. */
const tablesLock = "SELECT pg_advisory_lock(1701998447, 17)"
const tablesUnlock = "SELECT pg_advisory_unlock(1701998447, 17)"

/**
 * Builds the runner while holding a lock on the database: runners that start together on an empty database
 * otherwise race to create the cluster's tables and fail on a duplicate pg_type key (shared/STACK.md). The
 * lock is let go once this runner's tables exist; the shard locks it takes later are other locks.
 */
const oneAtATime = <A, E, R>(layer: Layer.Layer<A, E, R>) =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const lockScope = yield* Scope.make()
      const connection = yield* sql.reserve.pipe(Scope.extend(lockScope), Effect.orDie)
      yield* connection.executeRaw(tablesLock, []).pipe(Effect.orDie)
      const context = yield* Layer.build(layer).pipe(
        Effect.ensuring(connection.executeRaw(tablesUnlock, []).pipe(Effect.ignore)),
        Effect.ensuring(Scope.close(lockScope, Exit.void)),
      )
      return context
    }),
  )

/**
 * The runner's own timers (shard locks and their expiry, heartbeats, polls) run on the wall clock, the time the
 * database and the other runners measure them by, whatever clock the gateway's rules run on: a test that moves
 * its TestClock by hours moves the campaigns and the dispatcher, not a thousand lock refreshes. Only fibers the
 * runner forks while it is built take this clock; its singletons keep their registrant's (runAsSingleton).
 */
const onWallClock = <A, E, R>(layer: Layer.Layer<A, E, R>) =>
  Layer.scopedContext(Effect.withClock(Layer.build(layer), Clock.make()))

export const ClusterLive = Layer.unwrapEffect(
  Effect.gen(function* () {
    const env = yield* GatewayEnv
    const database = yield* DatabaseInfo
    if (Option.isNone(env.clusterRunner)) return onWallClock(singleRunner)
    if (database.mode === "embedded") {
      return yield* Effect.dieMessage(
        "CLUSTER_RUNNER_HOST and CLUSTER_RUNNER_PORT need a PostgreSQL server (DATABASE_URL): an embedded database belongs to one process",
      )
    }
    yield* Effect.logInfo("Joining the cluster").pipe(
      Effect.annotateLogs({
        runner: `${env.clusterRunner.value.host}:${env.clusterRunner.value.port}`,
        shards: env.clusterRunner.value.shards,
      }),
    )
    return onWallClock(oneAtATime(multiRunner(env.clusterRunner.value)))
  }),
)

/**
 * Registers work that one process of the cluster does at a time; it stops when the scope closes. On a single
 * runner, which holds every shard, this waits until the work has started: the gateway then starts with it
 * running, as it did when it was a fiber of its own. Among many runners it starts wherever its shard is.
 */
export const runAsSingleton = <E, R>(name: string, work: Effect.Effect<void, E, R>) =>
  Effect.gen(function* () {
    const sharding = yield* Sharding.Sharding
    const single = Option.isNone((yield* GatewayEnv).clusterRunner)
    const started = yield* Deferred.make<void>()
    // Started by a fiber of the runner, it would run on the runner's wall clock (onWallClock): it keeps ours.
    const clock = yield* Effect.clock
    // Said in the log both ways: where each singleton runs is what an operator asks of a fleet.
    const announced = Effect.acquireRelease(Effect.logInfo("Singleton started on this process"), () =>
      Effect.logInfo("Singleton stopped on this process"),
    )
    yield* sharding.registerSingleton(
      name,
      Effect.all([announced, Deferred.succeed(started, undefined), work], { discard: true }).pipe(
        Effect.annotateLogs({ singleton: name }),
        Effect.withClock(clock),
      ),
    )
    if (single) yield* Deferred.await(started)
  })
