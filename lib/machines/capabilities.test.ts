// The web side's static capability map must say exactly what each registered driver declares.
import { describe, expect, it } from "vitest";
import { DRIVERS } from "../drivers/registry";
import type { Db } from "../db/client";
import type { ProviderKind } from "../generated/prisma/enums";
import { PROVIDER_CAPABILITIES } from "./capabilities";

describe("PROVIDER_CAPABILITIES", () => {
  for (const kind of Object.keys(DRIVERS) as ProviderKind[]) {
    it(`matches the ${kind} driver`, async () => {
      const factory = DRIVERS[kind];
      if (!factory) {
        expect(PROVIDER_CAPABILITIES[kind]).toEqual([]);
        return;
      }
      const driver = await factory(
        { providerId: "00000000-0000-0000-0000-000000000000", endpoint: kind === "VSPHERE" ? "http://127.0.0.1:1/sdk" : "unix:///nonexistent.sock", credentials: { username: "u", password: "p" }, config: {} },
        { db: {} as Db },
      );
      expect([...driver.capabilities].sort()).toEqual([...PROVIDER_CAPABILITIES[kind]].sort());
      await driver.close?.();
    });
  }
});
