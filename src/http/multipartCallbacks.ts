// Which endpoints take a multipart/form-data body: Exotel's status callbacks only, since Exotel posts them that
// way when asked (StatusCallbackContentType). An endpoint opts in with `takesMultipart`; every other one answers
// such a body with 415, as it does any type it does not read.
import type { HttpApiEndpoint, HttpMethod } from "@effect/platform"
import { Context } from "effect"

export class TakesMultipart extends Context.Tag("TakesMultipart")<TakesMultipart, boolean>() {}

export const takesMultipart = <
  Name extends string,
  Method extends HttpMethod.HttpMethod,
  Path,
  UrlParams,
  Payload,
  Headers,
  Success,
  Error,
  R,
  RE,
>(
  endpoint: HttpApiEndpoint.HttpApiEndpoint<
    Name,
    Method,
    Path,
    UrlParams,
    Payload,
    Headers,
    Success,
    Error,
    R,
    RE
  >,
) => endpoint.annotate(TakesMultipart, true)
