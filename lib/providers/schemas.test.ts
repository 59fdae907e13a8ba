import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { IntlMessageFormat } from "intl-messageformat";
import { parseCrontab } from "graphile-worker";
import { createProviderSchema, kindFieldErrors, parseConfig, updateProviderFormSchema } from "./schemas";
import { CONFIG_FIELDS, CREDENTIAL_FIELDS, ENDPOINT_EXAMPLES, PROVIDER_KINDS } from "./kinds";
import { closestOffering } from "./closest-offering";
import { PROVIDER_SYNC_CRONTAB, PROVIDER_SYNC_TASK } from "./sync-task";
import { typedCredentials } from "./credentials";

const base = { name: "Lab", endpoint: "", credentials: {}, config: {}, cpuOvercommit: 4, memoryOvercommit: 1, diskOvercommit: 1, placementPolicy: "SPREAD" };

describe("provider schemas", () => {
  it("every kind's example endpoint (and required settings' examples) are valid for that kind", () => {
    for (const kind of PROVIDER_KINDS) {
      const creds = Object.fromEntries(CREDENTIAL_FIELDS[kind].filter((f) => f.required).map((f) => [f.key, "x"]));
      // As the form sends them: text, numbers typed into text boxes.
      const config = Object.fromEntries(CONFIG_FIELDS[kind].filter((f) => f.required).map((f) => [f.key, f.example]));
      expect(kindFieldErrors(kind, { endpoint: ENDPOINT_EXAMPLES[kind], credentials: creds, config }, { credentialsRequired: true }), kind).toEqual({});
    }
  });

  it("accepts the real endpoint forms and refuses the wrong ones", () => {
    const ok = (kind: (typeof PROVIDER_KINDS)[number], endpoint: string) => kindFieldErrors(kind, { endpoint, credentials: {}, config: {} }, { credentialsRequired: false }).endpoint;
    expect(ok("DOCKER", "unix:///srv/.backends/podman/podman.sock")).toBeUndefined();
    expect(ok("DOCKER", "tcp://10.0.0.5:2376")).toBeUndefined();
    expect(ok("DOCKER", "tcp://10.0.0.5")).toEqual(["providers.validation.endpointFormatDOCKER"]);
    expect(ok("LXD", "https://lxd01:8443")).toBeUndefined();
    expect(ok("LXD", "http://lxd01:8443")).toEqual(["providers.validation.endpointFormatLXD"]);
    expect(ok("LIBVIRT", "test+unix:///default?socket=/srv/libvirt-sock")).toBeUndefined();
    expect(ok("LIBVIRT", "/var/run/libvirt")).toEqual(["providers.validation.endpointFormatLIBVIRT"]);
    expect(ok("VSPHERE", "http://127.0.0.1:8989/sdk")).toBeUndefined();
    expect(ok("VSPHERE", "")).toEqual(["providers.validation.endpointRequired"]);
    expect(ok("SIMULATOR", "")).toBeUndefined();
  });

  it("validates the settings per kind, one message per field", () => {
    // As the form sends them: numbers typed as text, empty fields and unticked boxes dropped.
    expect(parseConfig("LIBVIRT", { storagePool: " default ", domainType: "kvm", stopTimeoutSeconds: "30", serialLogDir: "" })).toEqual({
      ok: true,
      config: { storagePool: "default", domainType: "kvm", stopTimeoutSeconds: 30 },
    });
    expect(parseConfig("VSPHERE", { insecure: false, datacenter: "DC0" })).toEqual({ ok: true, config: { datacenter: "DC0" } });
    expect(parseConfig("VSPHERE", { insecure: true })).toEqual({ ok: true, config: { insecure: true } });
    expect(parseConfig("LXD", {})).toEqual({ ok: true, config: {} });
    expect(parseConfig("LIBVIRT", { virshPath: "/tmp/evil" })).toEqual({ ok: false, errors: { "config.virshPath": ["providers.validation.configUnknownKey"] } });
    expect(parseConfig("DOCKER", [1])).toEqual({ ok: false, errors: { config: ["providers.validation.configObject"] } });
    expect(parseConfig("DOCKER", { stopTimeoutSeconds: "-1", diskGb: "lots" })).toEqual({
      ok: false,
      errors: { "config.stopTimeoutSeconds": ["providers.validation.configNumber"], "config.diskGb": ["providers.validation.configNumber"] },
    });
    expect(parseConfig("EC2", { region: "Ireland", vcpuQuota: "" })).toEqual({
      ok: false,
      errors: { "config.region": ["providers.validation.configRegion"], "config.vcpuQuota": ["providers.validation.configRequired"] },
    });
    expect(parseConfig("EC2", { region: "eu-west-1", vcpuQuota: "32", subnetId: "subnet-0123456789abcdef0", securityGroupIds: "sg-01234567, sg-89abcdef" })).toMatchObject({ ok: true });
    expect(parseConfig("HYPERV", { virtualSwitch: "External", vmPath: "relative\\path" })).toEqual({ ok: false, errors: { "config.vmPath": ["providers.validation.configWindowsPath"] } });
    expect(parseConfig("HYPERV", { virtualSwitch: "External", vmPath: "D:\\Hyper-V\\VMs" })).toMatchObject({ ok: true });
    expect(parseConfig("AZURE", { subscriptionId: "not-a-uuid", resourceGroup: "rg", location: "westeurope", subnetId: "/x", vcpuQuota: 8 })).toEqual({
      ok: false,
      errors: { "config.subscriptionId": ["providers.validation.configUuid"], "config.subnetId": ["providers.validation.configAzureSubnet"] },
    });
  });

  it("reports kind checks together with the other field errors", () => {
    const r = createProviderSchema.safeParse({ ...base, name: "", kind: "VSPHERE", endpoint: "nope", cpuOvercommit: 0 });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["name", "cpuOvercommit", "endpoint", "credentials.username", "credentials.password"]));
  });

  it("overcommit ratios: greater than 0, at most 64", () => {
    const ratio = (n: number) => createProviderSchema.safeParse({ ...base, kind: "SIMULATOR", cpuOvercommit: n }).success;
    expect([ratio(0), ratio(-1), ratio(0.5), ratio(64), ratio(64.01), ratio(Number.NaN)]).toEqual([false, false, true, true, false, false]);
  });

  it("the edit form asks for required credentials only when none are stored (or they are cleared)", () => {
    const edit = { ...base, id: "5b0e7f3e-8a4a-4d43-9a57-3f0f5f7c2d10", endpoint: "https://vc/sdk", clearCredentials: false };
    expect(updateProviderFormSchema("VSPHERE", true).safeParse(edit).success).toBe(true);
    expect(updateProviderFormSchema("VSPHERE", false).safeParse(edit).success).toBe(false);
    expect(updateProviderFormSchema("VSPHERE", true).safeParse({ ...edit, clearCredentials: true }).success).toBe(false);
  });

  it("the edit form validates the form's own values: they carry no id (a hidden error blocked every save)", () => {
    // As the provider page fills the form for the demo simulator: kind, settings as text, no id.
    const values = { ...base, kind: "SIMULATOR", endpoint: "simulator://local", config: { latencyMs: "300", loadProfile: "constant", loadPercent: "75", liveMigrate: false, imageKb: "" }, metricsIntervalSeconds: 60, clearCredentials: false };
    const parsed = updateProviderFormSchema("SIMULATOR", false).safeParse(values);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."))).toEqual([]);
  });

  it("keeps only the kind's credential keys; passwords exactly as typed, PEM trimmed", () => {
    expect(typedCredentials("VSPHERE", { username: " admin ", password: " p w ", other: "x" })).toEqual({ username: "admin", password: " p w " });
    expect(typedCredentials("DOCKER", { ca: "\n-----BEGIN-----\nA\n-----END-----\n\n", cert: "  " })).toEqual({ ca: "-----BEGIN-----\nA\n-----END-----\n" });
  });
});

describe("closest offering", () => {
  const offerings = [
    { id: "s", vcpu: 1, memoryMb: 2048, diskGb: 40 },
    { id: "m", vcpu: 2, memoryMb: 4096, diskGb: 80 },
    { id: "l", vcpu: 4, memoryMb: 16384, diskGb: 160 },
  ];
  it("picks the smallest that holds it, else the nearest", () => {
    expect(closestOffering({ vcpu: 2, memoryMb: 4096, diskGb: 50 }, offerings)?.id).toBe("m");
    expect(closestOffering({ vcpu: 2, memoryMb: 6000, diskGb: null }, offerings)?.id).toBe("l");
    expect(closestOffering({ vcpu: 16, memoryMb: 65536, diskGb: null }, offerings)?.id).toBe("l");
    expect(closestOffering({ vcpu: null, memoryMb: null, diskGb: null }, offerings)?.id).toBe("s");
    expect(closestOffering({ vcpu: 1, memoryMb: 1, diskGb: 1 }, [])).toBeUndefined();
  });
});

describe("sync task", () => {
  it("its crontab line parses and names the task", () => {
    const [item] = parseCrontab(PROVIDER_SYNC_CRONTAB);
    expect(item.task).toBe(PROVIDER_SYNC_TASK);
    expect(item.options.maxAttempts).toBe(1);
    expect(item.match).toBeDefined();
  });
});

describe("providers messages", () => {
  // Every setting, credential and kind the profiles declare has its words in both languages.
  for (const locale of ["en", "pt-BR"]) {
    it(`${locale}: every declared setting has a label and help, every credential and kind a label`, () => {
      const m = JSON.parse(fs.readFileSync(path.join(process.cwd(), "messages", locale, "providers.json"), "utf8"));
      const missing: string[] = [];
      for (const kind of PROVIDER_KINDS) {
        if (!m.kinds?.[kind]) missing.push(`kinds.${kind}`);
        if (!m.validation?.[`endpointFormat${kind}`]) missing.push(`validation.endpointFormat${kind}`);
        for (const f of CONFIG_FIELDS[kind]) {
          if (!m.settings?.[f.key]?.label) missing.push(`settings.${f.key}.label`);
          if (!m.settings?.[f.key]?.help) missing.push(`settings.${f.key}.help`);
          if (!m.settingSections?.[f.section]) missing.push(`settingSections.${f.section}`);
        }
        for (const c of CREDENTIAL_FIELDS[kind]) if (!m.credentialLabels?.[c.key]) missing.push(`credentialLabels.${c.key}`);
      }
      expect([...new Set(missing)]).toEqual([]);
    });
  }

  // Every message compiles as ICU in both languages (a stray brace breaks a page at run time).
  for (const locale of ["en", "pt-BR"]) {
    it(`${locale}: all providers messages compile`, () => {
      const messages = JSON.parse(fs.readFileSync(path.join(process.cwd(), "messages", locale, "providers.json"), "utf8"));
      const walk = (o: Record<string, unknown>, prefix: string) => {
        for (const [k, v] of Object.entries(o)) {
          if (typeof v === "string") expect(() => new IntlMessageFormat(v, locale), `${prefix}${k}`).not.toThrow();
          else walk(v as Record<string, unknown>, `${prefix}${k}.`);
        }
      };
      walk(messages, "");
    });
  }
});
