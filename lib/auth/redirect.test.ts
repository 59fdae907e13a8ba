import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./redirect";

describe("safeCallbackPath", () => {
  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeCallbackPath("/machines")).toBe("/machines");
    expect(safeCallbackPath("/machines?state=RUNNING#top")).toBe("/machines?state=RUNNING#top");
    expect(safeCallbackPath("/admin/offerings/abc")).toBe("/admin/offerings/abc");
    // Dot segments are resolved, never escaping the origin.
    expect(safeCallbackPath("/a/../catalog")).toBe("/catalog");
  });

  it.each([
    ["tab (the reported probe)", "/\t/evil.example/x"],
    ["newline", "/\n/evil.example"],
    ["carriage return", "/\r/evil.example"],
    ["backslash", "/\\evil.example"],
    ["backslash after slash", "/\\/evil.example"],
    ["protocol-relative", "//evil.example/x"],
    ["triple slash", "///evil.example"],
    ["absolute URL", "https://evil.example/"],
    ["our own origin, absolute", "http://localhost:3000/dashboard"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,hi"],
    ["no leading slash", "evil.example"],
    ["dot segment to protocol-relative", "/.//evil.example"],
    ["empty", ""],
    ["not a string", 42],
    ["undefined", undefined],
  ])("refuses %s", (_name, target) => {
    expect(safeCallbackPath(target)).toBe("/dashboard");
  });

  it("refuses what decodes to another origin (the page receives callbackUrl already decoded)", () => {
    // /login?callbackUrl=%2F%09%2Fevil.example%2Fx arrives as "/\t/evil.example/x".
    const decoded = new URLSearchParams("callbackUrl=%2F%09%2Fevil.example%2Fx").get("callbackUrl");
    expect(safeCallbackPath(decoded)).toBe("/dashboard");
    expect(safeCallbackPath(new URLSearchParams("c=%2F%2Fevil.example").get("c"))).toBe("/dashboard");
    expect(safeCallbackPath(new URLSearchParams("c=%2F%5Cevil.example").get("c"))).toBe("/dashboard");
    // Encoded once more it stays a harmless path on our origin.
    expect(safeCallbackPath(new URLSearchParams("c=%2F%252F%252Fevil.example").get("c"))).toBe("/%2F%2Fevil.example");
  });

  it("does not loop back to sign-in", () => {
    expect(safeCallbackPath("/login?callbackUrl=/x")).toBe("/dashboard");
    expect(safeCallbackPath("/api/auth/signout")).toBe("/dashboard");
  });
});
