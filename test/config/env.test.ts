import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Option } from "effect"
import { envConfig } from "../../src/config/Env.js"

const readEnv = (vars: Record<string, string>) =>
  Effect.withConfigProvider(Effect.either(envConfig), ConfigProvider.fromMap(new Map(Object.entries(vars))))

describe("EXOTEL_SERVICE_URL", () => {
  it.effect("is refused when it carries credentials, and the refusal does not repeat them", () =>
    Effect.gen(function* () {
      const read = yield* readEnv({ EXOTEL_SERVICE_URL: "https://key-Lq2w:token-Zx9v@api.exotel.com" })
      expect(Either.isLeft(read)).toBe(true)
      const message = Either.isLeft(read) ? String(read.left) : ""
      expect(message).toContain("EXOTEL_SERVICE_URL")
      expect(message).toContain("EXOTEL_API_KEY")
      expect(message).not.toContain("Lq2w")
      expect(message).not.toContain("Zx9v")
    }),
  )

  it.effect("is taken as given otherwise, without its trailing slash", () =>
    Effect.gen(function* () {
      const read = yield* readEnv({ EXOTEL_SERVICE_URL: "http://127.0.0.1:4010/" })
      expect(Either.map(read, (env) => env.exotelServiceUrl)).toEqual(
        Either.right(Option.some("http://127.0.0.1:4010")),
      )
    }),
  )
})

describe("EXOTEL_STREAM_ALLOWLIST", () => {
  it.effect(
    "seeds the stream allow-list with each address or subnet, and stops the gateway on one it cannot read",
    () =>
      Effect.gen(function* () {
        const read = yield* readEnv({ EXOTEL_STREAM_ALLOWLIST: " 203.0.113.0/24, 2001:db8::1 ," })
        expect(Either.map(read, (env) => env.streamAllowedSources)).toEqual(
          Either.right(Option.some(["203.0.113.0/24", "2001:db8::1"])),
        )
        for (const bad of ["203.0.113.0/33", "exotel.com", "203.0.113.0/24,nope"]) {
          const refused = yield* readEnv({ EXOTEL_STREAM_ALLOWLIST: bad })
          expect(Either.isLeft(refused), bad).toBe(true)
          expect(Either.isLeft(refused) ? String(refused.left) : "").toContain("EXOTEL_STREAM_ALLOWLIST")
        }
      }),
  )
})

describe("CLUSTER_RUNNER_HOST and CLUSTER_RUNNER_PORT", () => {
  const server = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/fleet" }

  it.effect(
    "make the process one runner of a cluster on the PostgreSQL server, with 300 shards unless told",
    () =>
      Effect.gen(function* () {
        const read = yield* readEnv({
          ...server,
          CLUSTER_RUNNER_HOST: "127.0.0.7",
          CLUSTER_RUNNER_PORT: "34431",
        })
        expect(Either.map(read, (env) => env.clusterRunner)).toEqual(
          Either.right(Option.some({ host: "127.0.0.7", port: 34431, shards: 300 })),
        )
        const fewer = yield* readEnv({
          ...server,
          CLUSTER_RUNNER_HOST: "127.0.0.7",
          CLUSTER_RUNNER_PORT: "34431",
          CLUSTER_SHARDS: "30",
        })
        expect(Either.map(fewer, (env) => Option.map(env.clusterRunner, (r) => r.shards))).toEqual(
          Either.right(Option.some(30)),
        )
        expect(Either.map(yield* readEnv(server), (env) => env.clusterRunner)).toEqual(
          Either.right(Option.none()),
        )
      }),
  )

  it.effect(
    "are refused with the embedded database, which belongs to one process, and one without the other",
    () =>
      Effect.gen(function* () {
        const embedded = yield* readEnv({ CLUSTER_RUNNER_HOST: "127.0.0.1", CLUSTER_RUNNER_PORT: "34431" })
        expect(Either.isLeft(embedded) ? String(embedded.left) : "").toContain("need DATABASE_URL")
        const halfway = yield* readEnv({ ...server, CLUSTER_RUNNER_HOST: "127.0.0.1" })
        expect(Either.isLeft(halfway) ? String(halfway.left) : "").toContain("set together")
      }),
  )
})
