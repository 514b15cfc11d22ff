import { describe, expect, test } from "vitest";
import { gmail } from "./gmail";
import { outlook } from "./outlook";
import { grantedOriginsOf, KNOWN_SITES, otherSitePatterns, patternCovers, patternLabel, patternsForPage, sitePattern } from "./patterns";

describe("sitePattern", () => {
  test.each([
    ["crm.huaxin-tech.example", "https://crm.huaxin-tech.example/*"],
    ["https://crm.huaxin-tech.example/deals/7?tab=1#x", "https://crm.huaxin-tech.example/*"],
    ["http://webmail.example.org:8080/roundcube/?_task=mail", "http://webmail.example.org/*"],
    ["  HTTPS://Mail.Example.COM  ", "https://mail.example.com/*"],
    ["http://localhost:3000", "http://localhost/*"],
    ["", null],
    ["not a site", null],
    ["intranet", null],
    ["ftp://files.example.com", null],
    ["javascript:alert(1)", null],
    ["https://user:secret@crm.example.com", null],
    ["chrome://extensions", null],
  ])("%j → %j", (input, pattern) => expect(sitePattern(input)).toBe(pattern));
});

describe("patternLabel", () => {
  test.each([
    ["https://mail.google.com/*", "mail.google.com"],
    ["https://*.pipedrive.com/*", "*.pipedrive.com"],
    ["http://webmail.example.org/*", "http://webmail.example.org"],
  ])("%s → %s", (pattern, label) => expect(patternLabel(pattern)).toBe(label));
});

describe("known and other sites", () => {
  test("every product with fixed addresses is listed; self-hosted Roundcube and the fallback are not", () => {
    expect(KNOWN_SITES.map((a) => a.id)).toEqual(["gmail", "outlook", "salesforce", "hubspot", "pipedrive", "zoho"]);
  });

  test("other sites are the granted patterns no product asked for", () => {
    const granted = ["https://mail.google.com/*", "http://127.0.0.1/*", "https://crm.huaxin-tech.example/*", "chrome://favicon/*"];
    expect(otherSitePatterns(granted)).toEqual(["http://127.0.0.1/*", "https://crm.huaxin-tech.example/*"]);
  });

  test("a product is on with any of its addresses granted", () => {
    expect(grantedOriginsOf(outlook, ["https://outlook.live.com/*"])).toEqual(["https://outlook.live.com/*"]);
    expect(grantedOriginsOf(gmail, ["https://outlook.live.com/*"])).toEqual([]);
  });
});

describe("the popup's \"this site\"", () => {
  test.each([
    ["https://*.pipedrive.com/*", "https://huaxin.pipedrive.com/deal/1", true],
    ["https://*.pipedrive.com/*", "https://pipedrive.com.evil.example/", false],
    ["http://127.0.0.1/*", "http://127.0.0.1:4173/crm", true],
    ["http://127.0.0.1/*", "https://127.0.0.1/crm", false],
    ["*://crm.example.com/*", "http://crm.example.com/x", true],
    ["https://mail.google.com/*", "chrome://extensions/", false],
  ])("%s covers %s: %s", (pattern, url, expected) => expect(patternCovers(pattern, new URL(url))).toBe(expected));

  test.each([
    ["https://outlook.live.com/mail/0/inbox", ["https://outlook.office.com/*", "https://outlook.office365.com/*", "https://outlook.live.com/*"]],
    ["https://huaxin.lightning.force.com/lightning/page/home", ["https://*.lightning.force.com/*"]],
    ["http://webmail.example.org/roundcube/?_task=mail", ["http://webmail.example.org/*"]],
  ])("%s → %j", (url, patterns) => expect(patternsForPage(new URL(url))?.patterns).toEqual(patterns));

  test("not for extension pages or files", () => {
    expect(patternsForPage(new URL("chrome-extension://abc/popup.html"))).toBeNull();
    expect(patternsForPage(new URL("file:///tmp/a.html"))).toBeNull();
  });
});
