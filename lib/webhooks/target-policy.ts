// Where webhooks may be sent (server-side request forgery defences). A target URL must be
// http(s), carry no credentials, and every address its host resolves to must be public:
// loopback, link-local (cloud metadata at 169.254.169.254), private (RFC 1918, unique local),
// shared (carrier-grade NAT) and reserved ranges are refused unless an administrator listed
// the range in the allow-list (Administration -> Webhooks). Unspecified, multicast and
// broadcast addresses are never targets. IPv6 forms that embed an IPv4 address (mapped,
// compatible, NAT64, 6to4) are judged by that IPv4 address.
// The check runs when a subscription is saved AND on every connection (the socket's own DNS
// lookup goes through `guardedLookup`), so a name that later resolves elsewhere (DNS
// rebinding) is refused at delivery time too.
import dns from "node:dns";
import net from "node:net";

export type AddressCategory = "loopback" | "link-local" | "private" | "shared" | "reserved" | "unspecified" | "multicast";

const RANGES: [AddressCategory, string, number, "ipv4" | "ipv6"][] = [
  ["unspecified", "0.0.0.0", 8, "ipv4"],
  ["private", "10.0.0.0", 8, "ipv4"],
  ["shared", "100.64.0.0", 10, "ipv4"],
  ["loopback", "127.0.0.0", 8, "ipv4"],
  ["link-local", "169.254.0.0", 16, "ipv4"],
  ["private", "172.16.0.0", 12, "ipv4"],
  ["reserved", "192.0.0.0", 24, "ipv4"],
  ["reserved", "192.0.2.0", 24, "ipv4"],
  ["reserved", "192.88.99.0", 24, "ipv4"],
  ["private", "192.168.0.0", 16, "ipv4"],
  ["reserved", "198.18.0.0", 15, "ipv4"],
  ["reserved", "198.51.100.0", 24, "ipv4"],
  ["reserved", "203.0.113.0", 24, "ipv4"],
  ["multicast", "224.0.0.0", 4, "ipv4"],
  ["reserved", "240.0.0.0", 4, "ipv4"],
  ["unspecified", "::", 128, "ipv6"],
  ["loopback", "::1", 128, "ipv6"],
  ["reserved", "100::", 64, "ipv6"],
  ["reserved", "2001:db8::", 32, "ipv6"],
  ["private", "fc00::", 7, "ipv6"],
  ["link-local", "fe80::", 10, "ipv6"],
  ["private", "fec0::", 10, "ipv6"],
  ["multicast", "ff00::", 8, "ipv6"],
];

const CATEGORY_LISTS = new Map<AddressCategory, net.BlockList>();
for (const [cat, addr, prefix, type] of RANGES) {
  let list = CATEGORY_LISTS.get(cat);
  if (!list) CATEGORY_LISTS.set(cat, (list = new net.BlockList()));
  list.addSubnet(addr, prefix, type);
}

/** Never a target, even when allowed: these reach the local host or nobody. */
const NEVER: ReadonlySet<AddressCategory> = new Set(["unspecified", "multicast"]);

function ipv6Words(ip: string): number[] | null {
  // Expand "a::b" and a trailing dotted quad into eight 16-bit words.
  let s = ip.toLowerCase().split("%")[0];
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (quad) {
    const b = quad[1].split(".").map(Number);
    s = s.slice(0, -quad[1].length) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined ? (tail ? tail.split(":") : []) : [];
  const words = s.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  if (words.length !== 8) return null;
  const out = words.map((w) => parseInt(w, 16));
  return out.some((n) => Number.isNaN(n) || n < 0 || n > 0xffff) ? null : out;
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/** The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIpv4(ip: string): string | null {
  if (net.isIPv6(ip) === false) return null;
  const w = ipv6Words(ip);
  if (!w) return null;
  const zeros = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeros(5) && w[5] === 0xffff) return v4(w[6], w[7]); // ::ffff:a.b.c.d
  if (zeros(6) && (w[6] !== 0 || w[7] > 1)) return v4(w[6], w[7]); // ::a.b.c.d (deprecated)
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return v4(w[6], w[7]); // 64:ff9b::/96
  if (w[0] === 0x2002) return v4(w[1], w[2]); // 6to4
  return null;
}

/** The address as the policy judges it: plain IPv4 for IPv4 and IPv6 forms that embed one. */
export function canonicalAddress(ip: string): { address: string; family: "ipv4" | "ipv6" } | null {
  const plain = ip.replace(/^\[|\]$/g, "");
  if (net.isIPv4(plain)) return { address: plain, family: "ipv4" };
  if (!net.isIPv6(plain)) return null;
  const four = embeddedIpv4(plain);
  return four ? { address: four, family: "ipv4" } : { address: plain.split("%")[0], family: "ipv6" };
}

/** The special range an address is in, or null for a public address. */
export function addressCategory(ip: string): AddressCategory | null {
  const c = canonicalAddress(ip);
  if (!c) return "reserved";
  for (const [cat, list] of CATEGORY_LISTS) if (list.check(c.address, c.family)) return cat;
  return null;
}

/** An administrator's allow-list of address ranges ("10.20.0.0/16", "127.0.0.1", "fd00::/8"). */
export class AllowedNetworks {
  private list = new net.BlockList();
  readonly ranges: string[];

  constructor(ranges: readonly string[]) {
    const ok: string[] = [];
    for (const r of ranges) {
      const p = parseRange(r);
      if (!p) continue;
      this.list.addSubnet(p.address, p.prefix, p.family);
      ok.push(`${p.address}/${p.prefix}`);
    }
    this.ranges = ok;
  }

  allows(ip: string): boolean {
    const c = canonicalAddress(ip);
    return !!c && this.list.check(c.address, c.family);
  }
}

export function parseRange(text: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [addr, bits, ...rest] = text.trim().split("/");
  if (rest.length) return null;
  const family = net.isIPv4(addr) ? "ipv4" : net.isIPv6(addr) ? "ipv6" : null;
  if (!family) return null;
  const max = family === "ipv4" ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address: addr, prefix, family };
}

export type AddressVerdict = { ok: true } | { ok: false; address: string; category: AddressCategory };

export function checkAddress(ip: string, allowed: AllowedNetworks): AddressVerdict {
  const category = addressCategory(ip);
  if (category === null) return { ok: true };
  if (!NEVER.has(category) && allowed.allows(ip)) return { ok: true };
  return { ok: false, address: ip, category };
}

export type UrlProblem = "invalid" | "scheme" | "credentials" | "fragment" | "port";

/** What the URL itself may not contain, before any name is resolved. */
export function urlProblem(text: string): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "invalid";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "scheme";
  if (url.username || url.password) return "credentials";
  if (url.hash || text.includes("#")) return "fragment";
  if (!url.hostname) return "invalid";
  if (url.port === "0") return "port";
  return null;
}

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export type TargetVerdict =
  | { ok: true; addresses: string[] }
  | { ok: false; problem: UrlProblem }
  | { ok: false; problem: "unresolvable"; host: string }
  | { ok: false; problem: "refused"; host: string; address: string; category: AddressCategory };

/** Checks a target URL and every address its host resolves to. */
export async function checkTarget(text: string, allowed: AllowedNetworks, lookup: LookupAll = systemLookup): Promise<TargetVerdict> {
  const problem = urlProblem(text);
  if (problem) return { ok: false, problem };
  const host = new URL(text).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host)).map((a) => a.address);
    } catch {
      return { ok: false, problem: "unresolvable", host };
    }
    if (addresses.length === 0) return { ok: false, problem: "unresolvable", host };
  }
  for (const a of addresses) {
    const v = checkAddress(a, allowed);
    if (!v.ok) return { ok: false, problem: "refused", host, address: v.address, category: v.category };
  }
  return { ok: true, addresses };
}

export class TargetRefusedError extends Error {
  constructor(
    readonly address: string,
    readonly category: AddressCategory,
  ) {
    super(`refused to connect to ${address}: a ${category} address (allow its range under Administration -> Webhooks if this is intended)`);
    this.name = "TargetRefusedError";
  }
}

/**
 * A `lookup` for net/tls.connect that resolves as usual and refuses the connection when any
 * address is not allowed: the check sits where the socket gets its address.
 */
export function guardedLookup(allowed: AllowedNetworks, lookup: LookupAll = systemLookup): net.LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    lookup(hostname)
      .then((all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        if (wanted.length === 0) throw Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" });
        for (const a of wanted) {
          const v = checkAddress(a.address, allowed);
          if (!v.ok) throw new TargetRefusedError(v.address, v.category);
        }
        if (options.all) callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, wanted[0].address, wanted[0].family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, "", 0));
  }) as net.LookupFunction;
}
