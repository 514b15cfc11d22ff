// @vitest-environment happy-dom
import { adapterTable } from "../../test-support/adapter-table";
import { zoho } from ".";

adapterTable(zoho, {
  fixtures: {
    "2026-11-23-deal.html": { kind: "deal", customerLabel: "Lumen Logistics" },
    "2026-11-23-contact.html": { kind: "contact", customerLabel: "Lumen Logistics" },
    "2026-11-23-deals-list.html": { kind: "list" },
  },
  urls: {
    match: ["https://crm.zoho.com/crm/org60012345678/tab/Potentials/4876876000000123456", "https://crm.zoho.com.cn/crm/tab/Contacts/4876876000000789001", "https://crm.zoho.eu/crm/org1/tab/Leads"],
    noMatch: ["https://www.zoho.com/crm/", "https://mail.zoho.com/zm/#mail/folder/inbox", "https://crm.zoho.com.evil.example/crm/tab/Potentials"],
  },
});
