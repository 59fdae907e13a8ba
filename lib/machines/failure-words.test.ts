import { describe, expect, it } from "vitest";
import en from "../../messages/en/machines.json";
import pt from "../../messages/pt-BR/machines.json";
import { failureMessageKey, KNOWN_FAILURE_CODES } from "./failure-words";

const lookup = (catalog: unknown, key: string) => key.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), catalog);

describe("failureMessageKey", () => {
  it("maps driver and orchestration codes to their plain words, anything else to the generic words", () => {
    expect(failureMessageKey("DRIVER_TIMEOUT")).toBe("failure.codes.TIMEOUT");
    expect(failureMessageKey("NO_CAPACITY")).toBe("failure.codes.NO_CAPACITY");
    expect(failureMessageKey("DRIVER_SOMETHING_NEW")).toBe("failure.generic");
    expect(failureMessageKey(null)).toBe("failure.generic");
    expect(failureMessageKey(undefined)).toBe("failure.generic");
  });

  it("every key exists, translated, in both languages", () => {
    for (const code of [...KNOWN_FAILURE_CODES, null]) {
      const key = failureMessageKey(code);
      const a = lookup(en, key);
      const b = lookup(pt, key);
      expect(typeof a, `en ${key}`).toBe("string");
      expect(typeof b, `pt-BR ${key}`).toBe("string");
      expect(b, key).not.toBe(a);
    }
  });
});
