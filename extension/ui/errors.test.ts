import { beforeEach, expect, test } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { errorText } from "./errors";
import { useEnglishMessages } from "./console/testing";
import type { SyncError } from "../storage";

/** Every failure the UI can show gets a sentence a rep can act on (the raw code only where nothing better exists). */
beforeEach(async () => {
  fakeBrowser.reset();
  await useEnglishMessages();
});

test.each<[string, SyncError, RegExp]>([
  ["offline", { kind: "network", code: null, message: "x" }, /^Can't reach the server\. Your clicks are saved/],
  ["revoked token", { kind: "http", code: "unauthorized", message: "x" }, /unpaired on the server\. Pair it again in Settings/],
  ["rate limited", { kind: "http", code: "rate_limited", message: "x" }, /slow down \(too many requests\)\. Your clicks are saved/],
  ["429 from a proxy", { kind: "http", code: "http_429", message: "x" }, /slow down/],
  ["5xx", { kind: "http", code: "http_503", message: "x" }, /^The server had a problem \(http_503\)\. It will be retried\.$/],
  ["code rejected", { kind: "http", code: "pairing_code_invalid", message: "x" }, /wrong, expired or already used/],
])("%s", (_name, error, expected) => {
  expect(errorText(error)).toMatch(expected);
});

test("a bad server URL and a host that is no HUD server name the address", () => {
  expect(errorText({ kind: "invalid_input", code: "invalid_server_url", message: "x" })).toMatch(/full address/);
  expect(errorText({ kind: "http", code: "http_404", message: "x" }, "https://crm.example")).toMatch(/^https:\/\/crm\.example answered, but not like a Target HUD server/);
});
