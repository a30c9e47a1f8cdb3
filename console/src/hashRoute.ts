// Deep links inside the console: an order's calls live at #orders/<id>, so the Waiting view can link to them and
// the browser's back button returns to where the operator was.
import { useEffect, useState } from "preact/hooks"

const orderPrefix = "#orders/"

export const orderHref = (orderId: number) => `${orderPrefix}${orderId}`

/** The order a hash names; null when it names none. */
export const orderOfHash = (hash: string): string | null =>
  hash.startsWith(orderPrefix) ? decodeURIComponent(hash.slice(orderPrefix.length)) : null

export const useHash = () => {
  const [hash, setHash] = useState(location.hash)
  useEffect(() => {
    const changed = () => setHash(location.hash)
    addEventListener("hashchange", changed)
    return () => removeEventListener("hashchange", changed)
  }, [])
  return hash
}
