// @vitest-environment happy-dom
import { adapterTable } from "../../test-support/adapter-table";
import { gmail } from ".";

adapterTable(gmail, {
  fixtures: {
    // The customer is the other side's company, from the sender's domain; the rep's own domain (tab title) is skipped.
    "2026-11-23-thread.html": { kind: "email_thread", customerLabel: "Lumen Logistics" },
    "2026-11-23-inbox.html": { kind: "list" },
    // The boot screen: not Gmail's client yet, so the adapter declines (the registry falls back to generic).
    "2026-11-23-loading.html": null,
  },
  // The hash decides first: the thread fixture's DOM at an inbox address is still the list view's business.
  moved: [["2026-11-23-thread.html", "https://mail.google.com/mail/u/0/#inbox", null]],
  urls: {
    match: ["https://mail.google.com/mail/u/0/#inbox", "https://mail.google.com/mail/u/1/#label/Clients/FMfcgzQbfLmN"],
    noMatch: [
      "http://mail.google.com/mail/u/0/#inbox",
      "https://mail.google.com/chat/u/0/",
      "https://accounts.google.com/mail/u/0/",
      "https://mail.google.com.evil.example/mail/u/0/",
    ],
  },
});
