/**
 * The server address rule, used by the options form while typing and by the background before pairing:
 * http(s) only; no user name, password, query or fragment; trailing slashes dropped; a path prefix is kept
 * (for a server behind a reverse proxy at https://host/hud).
 */
export type ServerUrlResult =
  | { ok: true; url: string }
  | { ok: false; reason: "unparseable" | "protocol" | "extra_parts" };

export function parseServerUrl(input: string): ServerUrlResult {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, reason: "unparseable" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "protocol" };
  if (url.username || url.password || url.search || url.hash) return { ok: false, reason: "extra_parts" };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, "")}` };
}

/**
 * The host permission that covers a parsed server address: scheme and host, every path and port —
 * `http://127.0.0.1:8787` → `http://127.0.0.1/*`. Firefox's match patterns cannot name a port (a pattern with one
 * matches nothing, so the grant would not let a single request through), and Chrome's ignore it.
 */
export function serverHostPattern(url: string): string {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
}
