// LXD native backup: instance backups exported as a tarball, imported back under a name (see
// test/conformance/backup-conformance.ts). The marker file goes through LXD's file API.
import { existsSync } from "node:fs";
import { Agent, request } from "undici";
import { LxdDriver } from "@/lib/drivers/lxd/lxd-driver";
import { describeBackupConformance } from "./backup-conformance";
import { requireEndpoints } from "./endpoints";

const found = requireEndpoints("LXD", ["ORQ_LXD_SOCKET", "ORQ_LXD_IMAGE"]);
const env = "values" in found ? found.values : {};
let agent: Agent | undefined;
const lxd = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
  request(`http://lxd${path}`, { method: (init.method ?? "GET") as "GET", body: init.body, headers: init.headers, dispatcher: (agent ??= new Agent({ connect: { socketPath: env.ORQ_LXD_SOCKET } })) });
const marker = (ref: string) => `/1.0/instances/${encodeURIComponent(ref)}/files?path=${encodeURIComponent("/root/orquestra-marker")}`;

describeBackupConformance({
  name: "lxd",
  setup: async () => {
    if ("reason" in found) return found;
    if (!existsSync(env.ORQ_LXD_SOCKET)) return { reason: `LXD socket ${env.ORQ_LXD_SOCKET} is missing; run npm run backends:up` };
    return { ok: true };
  },
  driver: () => new LxdDriver({ providerId: "conformance-lxd-backup", endpoint: `unix://${env.ORQ_LXD_SOCKET}`, credentials: {}, config: { stopTimeoutSeconds: 10 } }),
  spec: (machineId) => ({ machineId, name: "backup lxd", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: env.ORQ_LXD_IMAGE }),
  writeMarker: async (_d, ref, text) => {
    const r = await lxd(marker(ref), { method: "POST", body: text, headers: { "content-type": "application/octet-stream", "x-lxd-type": "file", "x-lxd-write": "overwrite" } });
    const body = await r.body.text();
    if (r.statusCode !== 200) throw new Error(`writing the marker failed: ${r.statusCode} ${body}`);
  },
  readMarker: async (_d, ref) => {
    const r = await lxd(marker(ref));
    const body = await r.body.text();
    return r.statusCode === 200 ? body : null;
  },
  // Instance backups still on the server (every one of them: this LXD belongs to the tests).
  leftovers: async () => {
    const names = JSON.parse(await (await lxd("/1.0/instances")).body.text()).metadata as string[];
    const out: string[] = [];
    for (const n of names) {
      const r = JSON.parse(await (await lxd(`${n}/backups`)).body.text()) as { metadata?: string[] };
      out.push(...(r.metadata ?? []));
    }
    return out;
  },
  teardown: async () => {
    await agent?.close();
    agent = undefined;
  },
});
