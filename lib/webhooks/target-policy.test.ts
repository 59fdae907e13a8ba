import { describe, expect, it } from "vitest";
import { addressCategory, AllowedNetworks, checkAddress, checkTarget, embeddedIpv4, guardedLookup, parseRange, TargetRefusedError, urlProblem, type LookupAll } from "./target-policy";

const none = new AllowedNetworks([]);

describe("webhook target policy", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.10", "private"],
    ["fd12:3456::1", "private"],
    ["100.64.0.1", "shared"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["192.0.2.5", "reserved"],
    ["2001:db8::1", "reserved"],
    // IPv6 spellings of IPv4 addresses are judged by the IPv4 address.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["64:ff9b::a00:1", "private"],
    ["2002:c0a8:101::1", "private"],
    ["::127.0.0.1", "loopback"],
  ])("%s is %s", (ip, category) => {
    expect(addressCategory(ip)).toBe(category);
    expect(checkAddress(ip, none)).toEqual({ ok: false, address: ip, category });
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:93.184.216.34"])("%s is public", (ip) => {
    expect(addressCategory(ip)).toBeNull();
    expect(checkAddress(ip, none)).toEqual({ ok: true });
  });

  it("embedded IPv4 addresses", () => {
    expect(embeddedIpv4("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(embeddedIpv4("2606:4700::1111")).toBeNull();
    expect(embeddedIpv4("::1")).toBeNull();
  });

  it("an administrator's allow-list lets listed private ranges through, never unspecified or multicast", () => {
    const allowed = new AllowedNetworks(["127.0.0.1/32", "10.20.0.0/16", "fd00::/8", "0.0.0.0/0", "garbage", "10.0.0.0/99"]);
    expect(allowed.ranges).toEqual(["127.0.0.1/32", "10.20.0.0/16", "fd00::/8", "0.0.0.0/0"]);
    expect(checkAddress("127.0.0.1", allowed)).toEqual({ ok: true });
    expect(checkAddress("::ffff:127.0.0.1", allowed)).toEqual({ ok: true });
    expect(checkAddress("10.20.3.4", allowed)).toEqual({ ok: true });
    expect(checkAddress("fd00::5", allowed)).toEqual({ ok: true });
    expect(checkAddress("0.0.0.0", allowed)).toMatchObject({ ok: false, category: "unspecified" });
    expect(checkAddress("224.0.0.1", allowed)).toMatchObject({ ok: false, category: "multicast" });
    expect(checkAddress("::1", new AllowedNetworks(["127.0.0.1"]))).toMatchObject({ ok: false, category: "loopback" });
  });

  it("parses ranges strictly", () => {
    expect(parseRange("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseRange("::1")).toEqual({ address: "::1", prefix: 128, family: "ipv6" });
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "example.com", "10.0.0.0/8/1", "10.0.0.0/-1", ""]) expect(parseRange(bad)).toBeNull();
  });

  it.each([
    ["not a url", "invalid"],
    ["ftp://example.com/hook", "scheme"],
    ["file:///etc/passwd", "scheme"],
    ["https://user:secret@example.com/hook", "credentials"],
    ["https://user@example.com/hook", "credentials"],
    ["https://example.com/hook#frag", "fragment"],
    ["https://example.com:0/hook", "port"],
  ])("refuses %s (%s)", (url, problem) => {
    expect(urlProblem(url)).toBe(problem);
  });

  it("resolves names and refuses loopback (real resolver: localhost) and link-local answers by default", async () => {
    expect(await checkTarget("http://localhost:8080/hook", none)).toMatchObject({ ok: false, problem: "refused", host: "localhost", category: "loopback" });
    const fake: LookupAll = async (host) => {
      if (host === "metadata.example.test") return [{ address: "169.254.169.254", family: 4 }];
      if (host === "mixed.example.test") return [{ address: "93.184.216.34", family: 4 }, { address: "fe80::1", family: 6 }];
      if (host === "public.example.test") return [{ address: "93.184.216.34", family: 4 }];
      throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    };
    expect(await checkTarget("http://metadata.example.test/latest", none, fake)).toMatchObject({ ok: false, problem: "refused", address: "169.254.169.254", category: "link-local" });
    // One bad address among several is enough to refuse.
    expect(await checkTarget("https://mixed.example.test/", none, fake)).toMatchObject({ ok: false, problem: "refused", address: "fe80::1", category: "link-local" });
    expect(await checkTarget("https://public.example.test/hook", none, fake)).toEqual({ ok: true, addresses: ["93.184.216.34"] });
    expect(await checkTarget("https://nowhere.example.test/hook", none, fake)).toMatchObject({ ok: false, problem: "unresolvable" });
    expect(await checkTarget("http://127.0.0.1:9/x", none)).toMatchObject({ ok: false, problem: "refused", category: "loopback" });
    expect(await checkTarget("http://[::1]:9/x", none)).toMatchObject({ ok: false, problem: "refused", category: "loopback" });
    expect(await checkTarget("http://[::ffff:169.254.169.254]/x", none)).toMatchObject({ ok: false, problem: "refused", category: "link-local" });
    expect(await checkTarget("http://127.0.0.1:9/x", new AllowedNetworks(["127.0.0.0/8"]))).toEqual({ ok: true, addresses: ["127.0.0.1"] });
  });

  it("the connection-time lookup refuses what a name resolves to now (DNS rebinding)", async () => {
    let answer = "93.184.216.34";
    const lookup = guardedLookup(none, async () => [{ address: answer, family: 4 }]);
    const resolve = () =>
      new Promise<string>((res, rej) => lookup("rebind.example.test", { family: 0 }, (err, address) => (err ? rej(err) : res(String(address)))));
    expect(await resolve()).toBe("93.184.216.34");
    answer = "127.0.0.1";
    await expect(resolve()).rejects.toBeInstanceOf(TargetRefusedError);
  });
});
