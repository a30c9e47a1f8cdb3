// Which peer addresses may open a voice stream: Exotel's own way to secure a stream besides Basic auth is to
// accept only its media servers' addresses (exotel-protocol.md §1.1). An entry is an address or a CIDR subnet;
// an empty list lets every address through.
import { BlockList, isIP } from "node:net"
import { Schema } from "effect"

const subnet = /^(.+)\/(\d{1,3})$/

/** An entry as [address, prefix length, family], or undefined when it is neither an address nor a subnet. */
const entryOf = (entry: string): readonly [string, number, "ipv4" | "ipv6"] | undefined => {
  const [address, prefix] = subnet.exec(entry)?.slice(1) ?? [entry, undefined]
  const version = isIP(address ?? "")
  if (address === undefined || version === 0) return undefined
  const bits = version === 4 ? 32 : 128
  const length = prefix === undefined ? bits : Number(prefix)
  return length <= bits ? [address, length, version === 4 ? "ipv4" : "ipv6"] : undefined
}

export const StreamSource = Schema.String.pipe(
  Schema.filter((s) => entryOf(s) !== undefined, {
    message: (issue) =>
      `must be an IP address or a CIDR subnet such as "203.0.113.0/24", got ${JSON.stringify(issue.actual)}`,
  }),
)

/** A check of a peer's address against the list; an address the socket could not tell is refused. */
export const sourceAllowList = (
  entries: ReadonlyArray<string>,
): ((address: string | undefined) => boolean) => {
  if (entries.length === 0) return () => true
  const list = new BlockList()
  for (const entry of entries) {
    const parsed = entryOf(entry)
    if (parsed !== undefined) list.addSubnet(...parsed)
  }
  return (address) => {
    const version = isIP(address ?? "")
    return address !== undefined && version !== 0 && list.check(address, version === 4 ? "ipv4" : "ipv6")
  }
}
