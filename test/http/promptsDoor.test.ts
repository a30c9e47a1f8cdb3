// The recorded prompts' door: reading them takes a viewer, changing them the admin; without a token, with a
// garbage one or with too small a role, nothing is read, stored or removed.
import { HttpClientRequest } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { asAdmin, clientWith, TestGatewayLive } from "../support/testGateway.js"

const viewerKey = Effect.gen(function* () {
  const response = yield* (yield* asAdmin).execute(
    HttpClientRequest.post("/api/exotel/api-keys").pipe(
      HttpClientRequest.bodyUnsafeJson({ name: "prompt viewer", role: "viewer" }),
    ),
  )
  return ((yield* response.json) as { key: string }).key
})

const wav = new Uint8Array(Buffer.from("RIFF\0\0\0\0WAVEfmt "))

const attempts = (token: string | undefined) =>
  Effect.gen(function* () {
    const client = yield* clientWith(token)
    const list = yield* client.get("/api/exotel/prompts")
    const upload = yield* client.execute(
      HttpClientRequest.put("/api/exotel/prompts/invalid_input/en").pipe(
        HttpClientRequest.bodyUint8Array(wav, "audio/wav"),
      ),
    )
    const remove = yield* client.execute(HttpClientRequest.del("/api/exotel/prompts/invalid_input/en"))
    return { list: list.status, upload: upload.status, remove: remove.status }
  })

layer(TestGatewayLive(), { timeout: 60_000, excludeTestServices: true })(
  "the recorded prompts' door",
  (it) => {
    it.effect("is shut without a token or with a garbage one", () =>
      Effect.gen(function* () {
        expect(yield* attempts(undefined)).toEqual({ list: 401, upload: 401, remove: 401 })
        expect(yield* attempts("Bearer-not-a-token-<script>alert(1)</script>")).toEqual({
          list: 401,
          upload: 401,
          remove: 401,
        })
      }),
    )

    it.effect("lets a viewer list the prompts but neither upload nor remove one", () =>
      Effect.gen(function* () {
        expect(yield* attempts(yield* viewerKey)).toEqual({ list: 200, upload: 403, remove: 403 })
      }),
    )
  },
)
