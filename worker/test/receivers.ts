import { inject } from "vitest";
import type { ReceiverKind, RecordedRequest } from "./receivers.global";

/**
 * Client side of the real HTTP receivers started by receivers.global.ts. Every test takes its own
 * `/hook/<uuid>` path, so nothing it sees was sent by another test.
 */
export interface Hook {
  kind: ReceiverKind;
  path: string;
  url: string;
}

export function newHook(kind: ReceiverKind, query = ""): Hook {
  const path = `/hook/${crypto.randomUUID()}`;
  return { kind, path, url: `${inject("receivers")[kind]}${path}${query}` };
}

/** What the receiver has recorded for this hook, oldest first. */
export async function received(hook: Hook): Promise<RecordedRequest[]> {
  const res = await fetch(`${inject("receivers")[hook.kind]}/__requests?path=${encodeURIComponent(hook.path)}`);
  return (await res.json()) as RecordedRequest[];
}

/** The next `times` requests to this hook get `status` + `body` (default: 500), optionally after a delay. */
export async function failNext(hook: Hook, times: number, status = 500, body = "injected failure", delayMs = 0): Promise<void> {
  const res = await fetch(`${inject("receivers")[hook.kind]}/__fail?path=${encodeURIComponent(hook.path)}`, {
    method: "POST",
    body: JSON.stringify({ times, status, body, delayMs }),
  });
  if (res.status !== 204) throw new Error(`receiver control failed: ${res.status}`);
}

export type { RecordedRequest };
