import { describe, expect, it } from "vitest";
import { englishMessage, resolveMessageKey, translateFieldErrors } from "./messages";

describe("API message keys", () => {
  it("resolves full keys and bare keys under a namespace", () => {
    expect(resolveMessageKey("offerings.validation.vcpuRange")).toBe("offerings.validation.vcpuRange");
    expect(resolveMessageKey("nameRequired", "requests.errors")).toBe("requests.errors.nameRequired");
    expect(resolveMessageKey("nameRequired")).toBeNull();
    expect(resolveMessageKey("Enter a name")).toBeNull();
    expect(resolveMessageKey("offerings.validation.noSuchKey")).toBeNull();
  });
  it("turns keys into English and leaves text alone", () => {
    expect(englishMessage("offerings.validation.vcpuRange")).toBe("Enter a whole number from 1 to 256.");
    expect(englishMessage("Type the machine's name exactly to confirm")).toBe("Type the machine's name exactly to confirm");
    expect(englishMessage("leaseTooLong", "requests.errors", { days: 30 })).toBe("This project allows leases of at most 30 days.");
  });
  it("keeps the keys beside the translated field errors", () => {
    const out = translateFieldErrors({ name: ["nameRequired"], confirmName: ["Type it"] }, "requests.errors");
    expect(out.fields).toEqual({ name: ["Enter a name."], confirmName: ["Type it"] });
    expect(out.fieldKeys).toEqual({ name: ["requests.errors.nameRequired"] });
  });
});

describe("API message keys with values", () => {
  it("fills a key's own values (fieldErrors.machines.tagKey?line=3) and keeps the key", () => {
    expect(englishMessage("fieldErrors.machines.tagTwice?line=3&key=env")).toBe("Line 3: env is given twice.");
    expect(englishMessage("fieldErrors.machines.diskShrink?diskGb=40")).toBe("Disks cannot shrink: choose an offering with at least 40 GB.");
    const out = translateFieldErrors({ tags: ["fieldErrors.machines.tagFormat?line=2"], publicKey: ["access.validation.duplicate"] });
    expect(out.fields.tags).toEqual(["Line 2: write key=value."]);
    expect(out.fields.publicKey[0]).not.toContain("access.validation");
    expect(out.fieldKeys).toEqual({ tags: ["fieldErrors.machines.tagFormat?line=2"], publicKey: ["access.validation.duplicate"] });
    // Text with a question mark is not a key.
    expect(englishMessage("Is this a key? no")).toBe("Is this a key? no");
  });
});
