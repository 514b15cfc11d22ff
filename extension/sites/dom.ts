/**
 * Small DOM and address helpers shared by the site adapters. Pure: they read the Document they are given.
 */

type Root = Document | Element;

/** The first element matching any of the selectors, in the order given (not document order). */
export function first(root: Root, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** Visible text of the first match, collapsed to one line; null when absent or empty. */
export function textOf(root: Root, selectors: readonly string[]): string | null {
  for (const selector of selectors) {
    for (const element of Array.from(root.querySelectorAll(selector))) {
      const text = (element.textContent ?? "").replace(/\s+/g, " ").trim();
      if (text) return text;
    }
  }
  return null;
}

export function hasAny(root: Root, selectors: readonly string[]): boolean {
  return first(root, selectors) !== null;
}

/** The host is one of `patterns`: exact names, or `*.example.com` for any subdomain (not `evilexample.com`). */
export function hostIs(url: URL, ...patterns: string[]): boolean {
  const host = url.hostname.toLowerCase();
  return patterns.some((pattern) => (pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern));
}

/** Webmail and consumer providers: an address there names a person, not a company, so it yields no customer label. */
const PERSONAL_MAIL_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
  "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net",
  "web.de", "mail.ru", "yandex.ru", "yandex.com", "zoho.com", "zohomail.com", "qq.com", "foxmail.com", "163.com",
  "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "aliyun.com", "139.com", "189.cn", "hinet.net",
  "yahoo.com.tw", "yahoo.com.hk", "pchome.com.tw", "naver.com", "hanmail.net",
]);

/** Second-level labels under a country code that belong to the suffix (acme.co.uk, huawei.com.cn, acme.com.tw). */
const SECOND_LEVEL = new Set(["co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go"]);

export function domainOf(address: string | null | undefined): string | null {
  const match = /@([a-z0-9.-]+\.[a-z]{2,})\s*>?\s*$/i.exec((address ?? "").trim());
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * A company name guessed from a mail domain: `sales.acme-robotics.com` → `Acme Robotics`, `huawei.com.cn` → `Huawei`.
 * Null for personal mail providers. Only the domain is used; the address itself is never kept.
 */
export function companyFromDomain(domain: string | null): string | null {
  if (!domain || PERSONAL_MAIL_DOMAINS.has(domain)) return null;
  const labels = domain.split(".").filter(Boolean);
  if (labels.length < 2) return null;
  labels.pop(); // top-level domain
  if (labels.length >= 2 && labels[labels.length - 1]!.length <= 3 && SECOND_LEVEL.has(labels[labels.length - 1]!)) labels.pop();
  const name = labels[labels.length - 1];
  if (!name) return null;
  return name
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

/**
 * The customer of a mail conversation: the first correspondent domain that is not the rep's own and not a personal
 * provider, as a company name. `addresses` in page order (senders first); `own` is the rep's address when the page shows it.
 */
export function customerFromAddresses(addresses: readonly string[], own: string | null): string | null {
  const ownDomain = domainOf(own);
  for (const address of addresses) {
    const domain = domainOf(address);
    if (!domain || domain === ownDomain) continue;
    const company = companyFromDomain(domain);
    if (company) return company;
  }
  return null;
}

/** Query string parameter, case-sensitive name. */
export function param(url: URL, name: string): string | null {
  return url.searchParams.get(name);
}
