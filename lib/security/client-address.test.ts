import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("clientAddress", () => {
  it("takes the peer address next start records, or the one the trusted proxy appended", () => {
    expect(clientAddress(h("127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(clientAddress(h("::ffff:10.1.2.3"), 0)).toBe("10.1.2.3");
    expect(clientAddress(h("::1"), 0)).toBe("::1");
    // A client-supplied entry on the left is ignored behind one proxy.
    expect(clientAddress(h("6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(h("6.6.6.6, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    // Fewer entries than proxies: nothing trustworthy.
    expect(clientAddress(h("203.0.113.9"), 2)).toBe("unknown");
  });
  it("answers 'unknown' for junk", () => {
    expect(clientAddress(h(), 0)).toBe("unknown");
    expect(clientAddress(h("not-an-ip"), 0)).toBe("unknown");
    expect(clientAddress(h(""), 0)).toBe("unknown");
  });
});
