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
