// The Hyper-V driver's WinRM transport against winrmtest (a WS-Management shell server from
// Debian's Go sources) behind TLS and NTLMv2 checked by go-ntlm (scripts/backends/winrm/main.go).
// There is NO real Hyper-V here: the server does not run PowerShell, it decodes the script it is
// sent and echoes it back. What this proves: the shell protocol (Create, Command, Receive,
// Signal, Delete), -EncodedCommand byte for byte, NTLMv2 and Basic authentication, TLS with a
// private CA, exit codes, large outputs, and the failure cases. The Hyper-V cmdlets themselves
// are checked by scripts.test.ts (parser, golden files) and parse.test.ts.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { HypervDriver } from "@/lib/drivers/hyperv/hyperv-driver";
import { WinrmClient, type WinrmOptions } from "@/lib/drivers/hyperv/winrm";
import { DriverError } from "@/lib/drivers/types";
import { requireEndpoints } from "./endpoints";
import { freeLoopbackPort, startGarbageHttpServer, startSilentServer } from "./fake-servers";
import { trackHandles } from "./open-handles";

const found = requireEndpoints("WinRM (winrmtest)", ["ORQ_WINRM_URL", "ORQ_WINRM_USERNAME", "ORQ_WINRM_PASSWORD", "ORQ_WINRM_CA"]);
const env = "values" in found ? found.values : {};
const ca = () => readFileSync(env.ORQ_WINRM_CA, "utf8");

const clients: WinrmClient[] = [];
const client = (over: Partial<WinrmOptions> = {}) => {
  const c = new WinrmClient({
    endpoint: env.ORQ_WINRM_URL,
    username: env.ORQ_WINRM_USERNAME,
    password: env.ORQ_WINRM_PASSWORD,
    authentication: "ntlm",
    ca: ca(),
    callTimeoutMs: 20_000,
    ...over,
  });
  clients.push(c);
  return c;
};
afterAll(() => Promise.all(clients.map((c) => c.close())));

const live = (name: string, fn: () => Promise<void>) =>
  it(name, async (ctx) => {
    if ("reason" in found) {
      if (process.env.CI) throw new Error(`CI requires the winrm backend: ${found.reason}`);
      return ctx.skip(found.reason);
    }
    await fn();
  }, 60_000);

async function failure(p: Promise<unknown>): Promise<DriverError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DriverError);
  return e as DriverError;
}

describe("Hyper-V WinRM transport against winrmtest (no real Hyper-V)", () => {
  live("runs a script over HTTPS with NTLMv2: the script arrives byte for byte, UTF-16 and all", async () => {
    const script = "Get-VM | Where-Object { $_.Name -eq 'São Paulo — ação O''Brien 😀' }\n# ümlaut ☃";
    const t0 = performance.now();
    const r = await client().run(script);
    const ms = performance.now() - t0;
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ script, length: [...script].length });
    console.log(`[winrm timings] first script (TLS + NTLM handshake + shell): ${ms.toFixed(0)} ms`);
  });

  live("keeps the authenticated connection: ten scripts in a row on one client (no real Hyper-V)", async () => {
    const c = client();
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) {
      const r = await c.run(`Write-Output ${i}`);
      expect(JSON.parse(r.stdout).script).toBe(`Write-Output ${i}`);
    }
    console.log(`[winrm timings] one script on an authenticated connection: ${((performance.now() - t0) / 10).toFixed(0)} ms`);
    // Concurrent calls share the one socket NTLM authenticated, one after the other.
    const outs = await Promise.all([1, 2, 3].map((i) => c.run(`$x = ${i}`)));
    expect(outs.map((o) => JSON.parse(o.stdout).script)).toEqual(["$x = 1", "$x = 2", "$x = 3"]);
  });

  live("reports the exit code and receives a large output whole (no real Hyper-V)", async () => {
    const failed = await client().run("exit 3 # orquestra-winrmtest:exit=3");
    expect(failed.exitCode).toBe(3);
    const big = await client().run("# orquestra-winrmtest:bytes=1048576");
    expect(big.stdout.length).toBe(1_048_576);
  });

  live("Basic authentication over HTTPS (no real Hyper-V)", async () => {
    const r = await client({ authentication: "basic", username: env.ORQ_WINRM_USERNAME.split("\\").pop()! }).run("Get-VMHost");
    expect(r.exitCode).toBe(0);
  });

  live("a wrong password is AUTH, not retried (NTLM and Basic)", async () => {
    const ntlm = await failure(client({ password: "not-the-password" }).run("Get-VM"));
    expect(ntlm).toMatchObject({ code: "AUTH", retryable: false });
    expect(ntlm.message).toMatch(/refused the user name or password \(NTLM\)/);
    const basic = await failure(client({ authentication: "basic", password: "nope" }).run("Get-VM"));
    expect(basic).toMatchObject({ code: "AUTH", retryable: false });
  });

  live("a certificate from a CA the provider was not given is refused in plain words (no real Hyper-V)", async () => {
    const e = await failure(client({ ca: undefined }).run("Get-VM"));
    expect(e.code).toBe("AUTH");
    expect(e.message).toMatch(/cannot be trusted: its TLS certificate is self-signed/);
  });

  live("nothing listening: UNAVAILABLE; a hung endpoint: TIMEOUT; garbage: PROVIDER", async () => {
    const down = await failure(client({ endpoint: `http://127.0.0.1:${await freeLoopbackPort()}/wsman` }).run("Get-VM", { signal: AbortSignal.timeout(3_000) }));
    expect(down).toMatchObject({ code: "UNAVAILABLE", retryable: true });
    expect(down.message).toMatch(/nothing is listening/);
    const hung = await startSilentServer("tcp");
    try {
      const t0 = performance.now();
      const e = await failure(client({ endpoint: `${hung.address}/wsman` }).run("Get-VM", { signal: AbortSignal.timeout(2_000) }));
      expect(e).toMatchObject({ code: "TIMEOUT", retryable: true });
      expect(performance.now() - t0).toBeLessThan(3_500);
    } finally {
      await hung.close();
    }
    const garbage = await startGarbageHttpServer("tcp");
    try {
      const e = await failure(client({ endpoint: `${garbage.address}/wsman` }).run("Get-VM", { signal: AbortSignal.timeout(3_000) }));
      expect(e.code).toBe("PROVIDER");
    } finally {
      await garbage.close();
    }
  });

  live("the driver authenticates and then says plainly that this endpoint is no PowerShell (no real Hyper-V)", async () => {
    const d = new HypervDriver({
      providerId: "conformance-hyperv",
      endpoint: env.ORQ_WINRM_URL,
      credentials: { username: env.ORQ_WINRM_USERNAME, password: env.ORQ_WINRM_PASSWORD, ca: ca() },
      config: { virtualSwitch: "External vSwitch" },
    });
    try {
      const e = await failure(d.testConnection());
      expect(e.code).toBe("PROVIDER");
      expect(e.message).toMatch(/check the host failed: no answer from PowerShell/);
    } finally {
      await d.close();
    }
  });

  live("a closed client leaves no socket behind (no real Hyper-V)", async () => {
    const handles = trackHandles();
    const c = new WinrmClient({ endpoint: env.ORQ_WINRM_URL, username: env.ORQ_WINRM_USERNAME, password: env.ORQ_WINRM_PASSWORD, authentication: "ntlm", ca: ca(), callTimeoutMs: 10_000 });
    await c.run("Get-VM");
    await c.close();
    const left = await handles.settle(1_000);
    handles.stop();
    expect(left.map((h) => `${h.type} opened at\n${h.stack}`)).toEqual([]);
  });
});
