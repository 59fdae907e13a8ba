import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CryptoError, generateEncryptionKey, open, openCredentials, parseEncryptionKey, seal, sealCredentials } from "./seal";

const key = randomBytes(32);

describe("credential sealing (AES-256-GCM)", () => {
  it("round-trips credentials and never contains the plaintext", () => {
    const sealed = sealCredentials({ username: "admin", password: "s3cret-pass" }, { key });
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain("s3cret");
    expect(openCredentials(sealed, { key })).toEqual({ username: "admin", password: "s3cret-pass" });
  });

  it("uses a fresh IV each time", () => {
    expect(seal("same", { key })).not.toEqual(seal("same", { key }));
  });

  it("refuses a wrong key, a tampered value and a different associated data", () => {
    const sealed = seal("hello", { key, associatedData: "provider-1" });
    expect(() => open(sealed, { key: randomBytes(32), associatedData: "provider-1" })).toThrow(CryptoError);
    expect(() => open(sealed, { key, associatedData: "provider-2" })).toThrow(CryptoError);
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[3], "base64url");
    ct[0] ^= 1;
    parts[3] = ct.toString("base64url");
    expect(() => open(parts.join("."), { key, associatedData: "provider-1" })).toThrow(CryptoError);
    expect(() => open("garbage", { key })).toThrow(CryptoError);
    expect(open(sealed, { key, associatedData: "provider-1" })).toBe("hello");
  });

  it("parses keys as hex or base64 and rejects other lengths", () => {
    const raw = randomBytes(32);
    expect(parseEncryptionKey(raw.toString("hex")).equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString("base64")).equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString("base64url")).equals(raw)).toBe(true);
    expect(parseEncryptionKey(generateEncryptionKey())).toHaveLength(32);
    expect(() => parseEncryptionKey(randomBytes(16).toString("hex"))).toThrow(CryptoError);
    expect(() => parseEncryptionKey("not a key!")).toThrow(CryptoError);
  });
});
