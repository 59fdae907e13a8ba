import { describe, expect, it } from "vitest";
import { generateTokenSecret, hashTokenSecret, looksLikeToken } from "./token-secret";

describe("API token secrets", () => {
  it("have the orq_<prefix>_<random> shape with 32 random bytes", () => {
    const { secret, prefix, tokenHash } = generateTokenSecret();
    expect(secret.startsWith(`${prefix}_`)).toBe(true);
    expect(prefix).toMatch(/^orq_[0-9a-f]{8}$/);
    expect(Buffer.from(secret.slice(prefix.length + 1), "base64url")).toHaveLength(32);
    expect(looksLikeToken(secret)).toBe(true);
    expect(tokenHash).toBe(hashTokenSecret(secret));
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash).not.toContain(secret.slice(prefix.length + 1));
  });
  it("are different every time", () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    expect(a.secret).not.toBe(b.secret);
    expect(a.tokenHash).not.toBe(b.tokenHash);
  });
  it("rejects strings of another shape", () => {
    expect(looksLikeToken("")).toBe(false);
    expect(looksLikeToken("orq_1234abcd_short")).toBe(false);
    expect(looksLikeToken(`xyz_1234abcd_${"a".repeat(43)}`)).toBe(false);
    expect(looksLikeToken(`orq_1234abcd_${"a".repeat(43)}`)).toBe(true);
  });
});
