// Per-request facts shared between the outer request middleware and the matched route.
import { Context } from "effect"

export interface RequestContextShape {
  readonly requestId: string
  /** The matched route's path pattern, filled in once routing has happened. */
  route: string
}

export class RequestContext extends Context.Tag("RequestContext")<RequestContext, RequestContextShape>() {}
