import { expect, test } from "vitest";
import { parseServerUrl, serverHostPattern } from "./server-url";

test.each([
  ["http://127.0.0.1:8787", "http://127.0.0.1:8787"],
  ["  http://127.0.0.1:8787/  ", "http://127.0.0.1:8787"],
  ["https://hud.example.com", "https://hud.example.com"],
  ["https://HUD.example.com/api//", "https://hud.example.com/api"],
])("accepts %j as %s", (input, url) => {
  expect(parseServerUrl(input)).toEqual({ ok: true, url });
});

test.each([
  ["", "unparseable"],
  ["hud.example.com", "unparseable"],
  ["127.0.0.1:8787", "unparseable"],
  ["ftp://hud.example.com", "protocol"],
  ["javascript:alert(1)", "protocol"],
  ["https://user:pw@hud.example.com", "extra_parts"],
  ["https://hud.example.com/?x=1", "extra_parts"],
  ["https://hud.example.com/#top", "extra_parts"],
])("refuses %j (%s)", (input, reason) => {
  expect(parseServerUrl(input)).toEqual({ ok: false, reason });
});

test.each([
  ["http://127.0.0.1:8787", "http://127.0.0.1/*"],
  ["http://localhost:8787/hud", "http://localhost/*"],
  ["https://hud.example.com", "https://hud.example.com/*"],
  ["https://hud.example.com:8443/api", "https://hud.example.com/*"],
  ["http://[::1]:8787", "http://[::1]/*"],
])("the host permission for %s is %s (no port: Firefox patterns with one match nothing)", (url, pattern) => {
  expect(serverHostPattern(url)).toBe(pattern);
});
