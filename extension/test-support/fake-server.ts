import { PostActivitiesRequest, type ActivityEvent, type PostActivitiesResponse } from "../../shared/schemas/activities";
import { HTTPError, NetworkError } from "../api/errors";

/**
 * An in-memory stand-in for POST /v1/activities with the server's contract: validates the batch as a
 * whole (one bad event rejects the request with 400 validation_failed), stores each clientEventId once
 * and answers created / duplicate. `down` simulates an unreachable server; `loseAnswers` stores the
 * batch and then drops the answer (the worst case for an outbox).
 */
export class FakeActivityServer {
  readonly stored = new Map<string, ActivityEvent>();
  readonly requests: ActivityEvent[][] = [];
  down = false;
  loseAnswers = false;
  /** Ids the server refuses (a rule the client does not know about, e.g. after a server update). */
  readonly rejectIds = new Set<string>();

  send = async (events: ActivityEvent[], sentAt: string): Promise<PostActivitiesResponse> => {
    if (this.down) throw new NetworkError("POST /v1/activities: could not reach the server");
    this.requests.push(events);
    const parsed = PostActivitiesRequest.safeParse({ sentAt, events });
    const refused = events.findIndex((event) => this.rejectIds.has(event.clientEventId));
    if (refused >= 0) {
      throw new HTTPError(400, "validation_failed", "Invalid request", [{ path: ["events", refused], message: "refused" }]);
    }
    if (!parsed.success) {
      throw new HTTPError(400, "validation_failed", "Invalid request", parsed.error.issues);
    }
    const results = events.map((event) => {
      const status = this.stored.has(event.clientEventId) ? ("duplicate" as const) : ("created" as const);
      this.stored.set(event.clientEventId, event);
      return { clientEventId: event.clientEventId, status };
    });
    if (this.loseAnswers) throw new NetworkError("POST /v1/activities: connection lost while reading the answer");
    const created = results.filter((r) => r.status === "created").length;
    return { results, created, duplicates: results.length - created };
  };

  /** How many times each id was sent, for "exactly once" checks. */
  sendCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.requests) {
      for (const event of request) counts.set(event.clientEventId, (counts.get(event.clientEventId) ?? 0) + 1);
    }
    return counts;
  }
}
