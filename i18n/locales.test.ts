import { describe, expect, it } from "vitest";
import { negotiateLocale } from "./locales";

describe("negotiateLocale", () => {
  it("picks Brazilian Portuguese for any Portuguese", () => {
    expect(negotiateLocale("pt-BR,pt;q=0.9,en;q=0.8")).toBe("pt-BR");
    expect(negotiateLocale("pt-PT")).toBe("pt-BR");
  });
  it("honours quality order", () => {
    expect(negotiateLocale("de;q=1, en;q=0.5, pt;q=0.9")).toBe("pt-BR");
    expect(negotiateLocale("en-GB, pt-BR;q=0.1")).toBe("en");
  });
  it("falls back to English", () => {
    expect(negotiateLocale(undefined)).toBe("en");
    expect(negotiateLocale("fr-FR,de")).toBe("en");
    expect(negotiateLocale(";;;")).toBe("en");
  });
});
