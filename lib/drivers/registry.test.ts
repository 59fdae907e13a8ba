// The descriptor tables: every provider kind has exactly one descriptor and one profile that
// agree, the web side's tables are derived from them, and each factory builds the driver it
// describes (and closes it).
import { describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { ProviderKind } from "../generated/prisma/enums";
import { PROVIDER_CAPABILITIES } from "../machines/capabilities";
import { CONFIG_FIELDS, CONFIG_SCHEMAS, CREDENTIAL_FIELDS, ENDPOINT_EXAMPLES, ENDPOINT_OPTIONAL, ENDPOINT_PATTERNS, PROVIDER_KINDS } from "../providers/kinds";
import { DRIVER_PROFILES } from "./profiles";
import { closeDriverPools, DRIVERS, driverFor, withFactory } from "./registry";
import { DriverError, type Driver } from "./types";

const KINDS = Object.values(ProviderKind);

const config = (kind: ProviderKind) => ({
  providerId: "00000000-0000-0000-0000-000000000000",
  endpoint: kind === "VSPHERE" ? "http://127.0.0.1:1/sdk" : kind === "LIBVIRT" ? "test:///default" : "unix:///nonexistent.sock",
  credentials: { username: "u", password: "p" },
  config: {},
});

describe("driver descriptors", () => {
  it("cover every provider kind, each under its own key, agreeing with its profile", () => {
    expect(Object.keys(DRIVERS).sort()).toEqual([...KINDS].sort());
    expect(Object.keys(DRIVER_PROFILES).sort()).toEqual([...KINDS].sort());
    for (const kind of KINDS) {
      expect(DRIVERS[kind].kind, kind).toBe(kind);
      expect(DRIVER_PROFILES[kind].kind, kind).toBe(kind);
      // The descriptor is its profile plus the factory: the same objects, never a copy that drifts.
      expect(DRIVERS[kind].capabilities, kind).toBe(DRIVER_PROFILES[kind].capabilities);
      expect(DRIVERS[kind].settings, kind).toBe(DRIVER_PROFILES[kind].settings);
    }
  });

  it("have a factory for the kinds Orquestra drives, and none for the others", () => {
    const withDriver = KINDS.filter((k) => DRIVERS[k].create !== null).sort();
    expect(withDriver).toEqual(["AZURE", "DOCKER", "EC2", "HYPERV", "KUBERNETES", "LIBVIRT", "LXD", "SIMULATOR", "VSPHERE"]);
    expect(DRIVERS.KUBERNETES.capabilities).toEqual([]);
  });

  for (const kind of KINDS) {
    // Loading a cloud SDK for the first time takes seconds on a busy machine.
    it(`${kind}: the factory builds a ${kind} driver with the declared capabilities, or there is none`, { timeout: 60_000 }, async () => {
      const create = DRIVERS[kind].create;
      if (!create) {
        await expect(driverFor({ id: config(kind).providerId, kind, endpoint: "", credentialsEnc: null, config: {} }, { db: {} as Db })).rejects.toMatchObject({
          code: "UNSUPPORTED",
          retryable: false,
        });
        return;
      }
      const driver = await create(config(kind), { db: {} as Db });
      try {
        expect(driver.kind).toBe(kind);
        // Connection-dependent: libvirt's test driver (the test:/// endpoint here) has no disks and takes no uploads, so no "backup" nor "cloudInit".
        const declared = DRIVERS[kind].capabilities.filter((c) => !(kind === "LIBVIRT" && (c === "backup" || c === "cloudInit")));
        expect([...driver.capabilities].sort()).toEqual([...declared].sort());
        // Snapshot methods exist exactly when the capability is declared.
        expect(typeof driver.snapshot === "function", "snapshot()").toBe(driver.capabilities.has("snapshots"));
        // A console exactly when the capability is declared, and then the profile says which kind.
        expect(typeof driver.openConsole === "function", "openConsole()").toBe(driver.capabilities.has("console"));
        expect(Boolean(DRIVERS[kind].console), "profile.console").toBe(driver.capabilities.has("console"));
        expect(typeof driver.findByMachineId).toBe("function");
      } finally {
        await driver.close();
      }
      // Closing twice is harmless (a `finally` after an earlier close).
      await driver.close();
    });
  }

  it("driverFor uses the registry it is given", async () => {
    const fake = { kind: "KUBERNETES", capabilities: new Set(), close: async () => {} } as unknown as Driver;
    const registry = withFactory(DRIVERS, "KUBERNETES", async () => fake);
    expect(await driverFor({ id: "x", kind: "KUBERNETES", endpoint: "", credentialsEnc: null, config: {} }, { db: {} as Db }, registry)).toBe(fake);
    // The original table is untouched.
    expect(DRIVERS.KUBERNETES.create).not.toBe(registry.KUBERNETES.create);
  });

  it("refuses a provider whose sealed credentials cannot be opened, as AUTH", async () => {
    const err = await driverFor({ id: "x", name: "lab", kind: "DOCKER", endpoint: "unix:///x.sock", credentialsEnc: "not-a-sealed-blob", config: {} }, { db: {} as Db }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect(err).toMatchObject({ code: "AUTH", retryable: false });
  });

  it("closeDriverPools survives a kind whose release fails", async () => {
    const failing = { ...DRIVERS, LXD: { ...DRIVERS.LXD, closeAll: async () => Promise.reject(new Error("boom")) } };
    await expect(closeDriverPools(failing)).resolves.toBeUndefined();
  });
});

describe("tables derived from the profiles", () => {
  it("list every kind once, in the profiles' order", () => {
    expect(PROVIDER_KINDS).toEqual(Object.keys(DRIVER_PROFILES));
    expect([...PROVIDER_KINDS].sort()).toEqual([...KINDS].sort());
  });

  it("hold each profile's settings and capabilities for every kind", () => {
    for (const kind of KINDS) {
      const s = DRIVER_PROFILES[kind].settings;
      expect(CREDENTIAL_FIELDS[kind], kind).toBe(s.credentials);
      expect(ENDPOINT_PATTERNS[kind], kind).toBe(s.endpoint.pattern);
      expect(ENDPOINT_EXAMPLES[kind], kind).toBe(s.endpoint.example);
      expect(ENDPOINT_OPTIONAL.has(kind), kind).toBe(s.endpoint.optional);
      expect(CONFIG_SCHEMAS[kind], kind).toBe(s.config.schema);
      expect(CONFIG_FIELDS[kind], kind).toBe(s.config.fields);
      expect(PROVIDER_CAPABILITIES[kind], kind).toBe(DRIVER_PROFILES[kind].capabilities);
      // Every example is valid for its own kind.
      expect(s.endpoint.pattern.test(s.endpoint.example), `${kind} endpoint example`).toBe(true);
    }
  });

  it("declare one form field per config key, required exactly when the schema requires it, with valid examples", () => {
    for (const kind of KINDS) {
      const { schema, fields } = DRIVER_PROFILES[kind].settings.config;
      const keys = Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape).sort();
      expect(fields.map((f) => f.key).sort(), kind).toEqual(keys);
      const value = (f: (typeof fields)[number]) => (f.input === "number" ? Number(f.example) : f.input === "boolean" ? true : f.input === "select" ? f.options![0] : f.example);
      const required = fields.filter((f) => f.required);
      // Every required field has an example, and the required examples alone make a valid config.
      for (const f of required) expect(f.example, `${kind}.${f.key} example`).toBeTruthy();
      const base = Object.fromEntries(required.map((f) => [f.key, value(f)]));
      expect(schema.safeParse(base).error?.issues, `${kind} required examples`).toBeUndefined();
      for (const f of fields) {
        // Leaving out a required key is refused; every field's example (or first option) is valid.
        if (f.required) {
          const { [f.key]: _dropped, ...rest } = base;
          expect(schema.safeParse(rest).success, `${kind}.${f.key} is required`).toBe(false);
        } else {
          expect(schema.safeParse({}).success || required.length > 0, kind).toBe(true);
        }
        if (f.input === "select") expect(f.options?.length, `${kind}.${f.key} options`).toBeGreaterThan(0);
        else if (f.input !== "boolean") expect(f.example, `${kind}.${f.key} example`).toBeTruthy();
        expect(schema.safeParse({ ...base, [f.key]: value(f) }).error?.issues, `${kind}.${f.key} example`).toBeUndefined();
      }
    }
  });
});
