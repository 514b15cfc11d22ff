// @vitest-environment happy-dom
import { adapterTable } from "../../test-support/adapter-table";
import { pipedrive } from ".";

adapterTable(pipedrive, {
  fixtures: {
    "2026-11-23-deal.html": { kind: "deal", customerLabel: "Lumen Logistics" },
    "2026-11-23-person.html": { kind: "contact", customerLabel: "Lumen Logistics" },
    "2026-11-23-pipeline.html": { kind: "list" },
  },
  urls: {
    match: ["https://huaxin.pipedrive.com/deal/1287", "https://acme-eu.pipedrive.com/pipeline/1/user/everyone"],
    noMatch: ["https://www.pipedrive.com/en/pricing", "https://pipedrive.com/deal/1", "https://huaxin.pipedrive.com.evil.example/deal/1"],
  },
});
