// A local stand-in for Azure Resource Manager and Microsoft Entra ID, for the Azure driver's
// contract tests. It is NOT Azure: it answers the calls the driver makes with bodies and headers
// in the shapes of Microsoft's published REST examples (azure-rest-api-specs, Compute
// 2024-07-01 examples such as VirtualMachine_Create_WithSshAuthentication.json, Network
// networkInterfaces, Compute usage and sizes) and ARM's long-running-operation protocol (201/202
// with Azure-AsyncOperation or Location, polled to Succeeded), keeps what the driver created so
// a lifecycle can run, and records every exchange for the tests to check. It listens on
// 127.0.0.1 over TLS with a certificate made by openssl for the test.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";

export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

type Resource = Record<string, unknown> & { id: string; name: string; tags?: Record<string, string>; properties: Record<string, unknown> };

export interface FakeArm {
  url: string;
  ca: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
  exchanges: Exchange[];
  vms: Map<string, Resource & { power: string }>;
  nics: Map<string, Resource>;
  disks: Map<string, Resource>;
  snapshots: Map<string, Resource>;
  /** The next ARM request matching `match` fails with this status and error. */
  failNext(match: RegExp, status: number, code: string, message: string): void;
  close(): Promise<void>;
}

// A subset of Microsoft's size list for westeurope (name, cores, memory in MB).
const SIZES: [string, number, number][] = [
  ["Standard_B1s", 1, 1024],
  ["Standard_B2s", 2, 4096],
  ["Standard_D2s_v5", 2, 8192],
  ["Standard_D4s_v5", 4, 16384],
  ["Standard_E4s_v5", 4, 32768],
  ["Standard_F4s_v2", 4, 8192],
];

export async function startFakeArm(): Promise<FakeArm> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "orq-fake-arm-"));
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
  ], { stdio: "ignore" });
  const key = readFileSync(path.join(dir, "key.pem"));
  const cert = readFileSync(path.join(dir, "cert.pem"), "utf8");
  rmSync(dir, { recursive: true, force: true });

  const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  const clientId = "0fd1a1d3-5c1b-4c1c-9d3a-6b1f2e3d4c5b";
  const clientSecret = `s3cret~${randomUUID()}`;
  const subscriptionId = "8a4b2c1d-0000-4000-8000-00000000a2e1";
  const resourceGroup = "rg-orquestra";
  const token = `eyJ0eXAiOiJKV1QifQ.${randomUUID()}.sig`;
  const exchanges: Exchange[] = [];
  const vms = new Map<string, Resource & { power: string }>();
  const nics = new Map<string, Resource>();
  const disks = new Map<string, Resource>();
  const snapshots = new Map<string, Resource>();
  // `then` applies the operation and returns what a Location poll answers at the end (the resource, if any).
  const operations = new Map<string, { polls: number; then: () => unknown }>();
  let failure: { match: RegExp; status: number; code: string; message: string } | null = null;
  let base = "";

  const rg = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  const lower = (s: string) => s.toLowerCase();

  const vmView = (vm: Resource & { power: string }, instanceView: boolean) => {
    const { power, ...rest } = vm;
    return instanceView
      ? {
          ...rest,
          properties: {
            ...rest.properties,
            instanceView: {
              statuses: [
                { code: `ProvisioningState/${String(rest.properties.provisioningState).toLowerCase()}`, level: "Info", displayStatus: "Provisioning succeeded" },
                { code: `PowerState/${power}`, level: "Info", displayStatus: `VM ${power}` },
              ],
            },
          },
        }
      : rest;
  };

  /** A long-running operation: 201/202 now, Succeeded on the second poll, `then` applied at the end. */
  const lro = (res: import("node:http").ServerResponse, status: number, body: unknown, then: () => unknown, header: "Azure-AsyncOperation" | "Location" = "Azure-AsyncOperation") => {
    const id = randomUUID();
    operations.set(id, { polls: 0, then });
    res.writeHead(status, {
      "content-type": "application/json",
      [header]: `${base}/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/westeurope/operations/${id}?p=${header === "Location" ? "location" : "async"}&api-version=2024-07-01`,
      "retry-after": "0",
    });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };

  const server = https.createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? "/", base);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // form-encoded (the token request)
      }
      const query = Object.fromEntries(url.searchParams.entries());
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        exchanges.push({ method: req.method ?? "", path: url.pathname, query, body, status });
        res.writeHead(status, { "content-type": "application/json", "x-ms-request-id": randomUUID(), ...headers });
        res.end(payload === undefined ? "" : JSON.stringify(payload));
      };
      const armError = (status: number, code: string, message: string) => send(status, { error: { code, message } });
      const p = url.pathname;

      // ---- Microsoft Entra ID
      if (p === `/${tenantId}/v2.0/.well-known/openid-configuration`) {
        return send(200, {
          token_endpoint: `${base}/${tenantId}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/${tenantId}/oauth2/v2.0/authorize`,
          issuer: `${base}/${tenantId}/v2.0`,
          jwks_uri: `${base}/${tenantId}/discovery/v2.0/keys`,
          response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
          end_session_endpoint: `${base}/${tenantId}/oauth2/v2.0/logout`,
        });
      }
      if (p === `/${tenantId}/oauth2/v2.0/token` && req.method === "POST") {
        const form = new URLSearchParams(raw);
        exchanges.push({ method: "POST", path: p, query, body: { grant_type: form.get("grant_type"), client_id: form.get("client_id"), scope: form.get("scope") }, status: 0 });
        if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
          exchanges.at(-1)!.status = 401;
          res.writeHead(401, { "content-type": "application/json" });
          return res.end(
            JSON.stringify({
              error: "invalid_client",
              error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
              error_codes: [7000215],
            }),
          );
        }
        exchanges.at(-1)!.status = 200;
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token }));
      }

      // ---- Azure Resource Manager: a bearer token from the token endpoint is required.
      if (req.headers.authorization !== `Bearer ${token}`) return armError(401, "InvalidAuthenticationToken", "The access token is invalid.");
      if (failure && failure.match.test(`${req.method} ${p}`)) {
        const f = failure;
        failure = null;
        return armError(f.status, f.code, f.message);
      }

      // Long-running operation status.
      const op = /\/operations\/([0-9a-f-]{36})$/.exec(p);
      if (op) {
        const o = operations.get(op[1]);
        if (!o) return armError(404, "NotFound", "no such operation");
        o.polls++;
        const location = url.searchParams.get("p") === "location";
        // In progress: an Azure-AsyncOperation answers 200 with its status; a Location URL answers 202.
        if (o.polls < 2) return location ? send(202, undefined, { "retry-after": "0", location: `${base}${p}${url.search}` }) : send(200, { name: op[1], status: "InProgress", startTime: new Date().toISOString() }, { "retry-after": "0" });
        operations.delete(op[1]);
        const result = o.then();
        return location ? send(200, result ?? undefined) : send(200, { name: op[1], status: "Succeeded", startTime: new Date().toISOString(), endTime: new Date().toISOString() });
      }

      if (p === `/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/westeurope/usages`) {
        return send(200, { value: [{ unit: "Count", currentValue: 4, limit: 100, name: { value: "cores", localizedValue: "Total Regional vCPUs" } }] });
      }
      if (p === `/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/westeurope/vmSizes`) {
        return send(200, { value: SIZES.map(([name, cores, mem]) => ({ name, numberOfCores: cores, osDiskSizeInMB: 1047552, resourceDiskSizeInMB: 0, memoryInMB: mem, maxDataDiskCount: 8 })) });
      }
      if (p === `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/default`) {
        return send(200, { id: p, name: "default", properties: { addressPrefix: "10.0.0.0/24", provisioningState: "Succeeded" } });
      }

      const nic = new RegExp(`^${rg}/providers/Microsoft\\.Network/networkInterfaces/([^/]+)$`, "i").exec(p);
      if (nic) {
        const name = nic[1];
        if (req.method === "PUT") {
          const b = body as Resource;
          const r: Resource = { ...b, id: `${rg}/providers/Microsoft.Network/networkInterfaces/${name}`, name, type: "Microsoft.Network/networkInterfaces", etag: `W/"${randomUUID()}"`, properties: { ...b.properties, provisioningState: "Succeeded", macAddress: "", enableAcceleratedNetworking: false } };
          const existed = nics.has(lower(name));
          nics.set(lower(name), r);
          return send(existed ? 200 : 201, r);
        }
        if (req.method === "DELETE") {
          if (!nics.has(lower(name))) return send(204);
          nics.delete(lower(name));
          return send(200);
        }
      }

      const vmPath = new RegExp(`^${rg}/providers/Microsoft\\.Compute/virtualMachines(?:/([^/]+))?(?:/(start|deallocate|restart|powerOff))?$`, "i").exec(p);
      if (vmPath) {
        const [, name, action] = vmPath;
        if (!name && req.method === "GET") return send(200, { value: [...vms.values()].map((v) => vmView(v, false)) });
        const vm = name ? vms.get(lower(name)) : undefined;
        if (action) {
          if (!vm) return armError(404, "ResourceNotFound", `The Resource 'Microsoft.Compute/virtualMachines/${name}' under resource group '${resourceGroup}' was not found.`);
          const power = action === "deallocate" ? "deallocated" : action === "powerOff" ? "stopped" : "running";
          exchanges.push({ method: req.method ?? "", path: p, query, body, status: 202 });
          return lro(res, 202, undefined, () => void (vm.power = power), "Location");
        }
        if (req.method === "GET") {
          if (!vm) return armError(404, "ResourceNotFound", `The Resource 'Microsoft.Compute/virtualMachines/${name}' under resource group '${resourceGroup}' was not found.`);
          return send(200, vmView(vm, query.$expand === "instanceView"));
        }
        if (req.method === "PUT") {
          const b = body as Resource;
          const props = b.properties as Record<string, Record<string, unknown>>;
          const osDisk = props.storageProfile.osDisk as Record<string, unknown>;
          const diskName = String(osDisk.name);
          const diskId = `${rg}/providers/Microsoft.Compute/disks/${diskName}`;
          const created: Resource & { power: string } = {
            ...b,
            id: `${rg}/providers/Microsoft.Compute/virtualMachines/${name}`,
            name,
            type: "Microsoft.Compute/virtualMachines",
            power: "running",
            properties: {
              ...b.properties,
              vmId: randomUUID(),
              provisioningState: "Creating",
              storageProfile: { ...props.storageProfile, osDisk: { ...osDisk, osType: "Linux", managedDisk: { ...(osDisk.managedDisk as object), id: diskId } }, dataDisks: [] },
              osProfile: { ...props.osProfile, adminPassword: undefined, secrets: [] },
            },
          };
          const existed = vms.has(lower(name));
          vms.set(lower(name), created);
          exchanges.push({ method: "PUT", path: p, query, body, status: existed ? 200 : 201 });
          return lro(res, existed ? 200 : 201, vmView(created, false), () => {
            created.properties.provisioningState = "Succeeded";
            disks.set(lower(diskName), { id: diskId, name: diskName, tags: b.tags as Record<string, string>, properties: { diskSizeGB: osDisk.diskSizeGB, provisioningState: "Succeeded" }, sku: { name: (osDisk.managedDisk as { storageAccountType: string }).storageAccountType } });
          });
        }
        if (req.method === "PATCH") {
          if (!vm) return armError(404, "ResourceNotFound", "not found");
          const b = body as { properties?: Record<string, Record<string, unknown>> };
          const hw = b.properties?.hardwareProfile;
          const os = (b.properties?.storageProfile as { osDisk?: Record<string, unknown> } | undefined)?.osDisk;
          exchanges.push({ method: "PATCH", path: p, query, body, status: 200 });
          return lro(res, 200, vmView(vm, false), () => {
            if (hw) vm.properties.hardwareProfile = { ...(vm.properties.hardwareProfile as object), ...hw };
            if (os) (vm.properties.storageProfile as Record<string, unknown>).osDisk = { ...((vm.properties.storageProfile as Record<string, object>).osDisk as object), ...os };
          });
        }
        if (req.method === "DELETE") {
          if (!vm) return send(204);
          exchanges.push({ method: "DELETE", path: p, query, body, status: 202 });
          return lro(res, 202, undefined, () => {
            vms.delete(lower(name));
            // deleteOption Delete: the NIC and the OS disk go with the VM.
            const nicId = (((vm.properties.networkProfile as { networkInterfaces: { id: string; properties?: { deleteOption?: string } }[] }).networkInterfaces ?? [])[0]);
            if (nicId?.properties?.deleteOption === "Delete") nics.delete(lower(nicId.id.split("/").pop()!));
            const od = (vm.properties.storageProfile as { osDisk: { name: string; deleteOption?: string } }).osDisk;
            if (od.deleteOption === "Delete") disks.delete(lower(od.name));
          }, "Location");
        }
      }

      const diskPath = new RegExp(`^${rg}/providers/Microsoft\\.Compute/(disks|snapshots)(?:/([^/]+))?$`, "i").exec(p);
      if (diskPath) {
        const [, kind, name] = diskPath;
        const store = kind.toLowerCase() === "disks" ? disks : snapshots;
        if (!name && req.method === "GET") return send(200, { value: [...store.values()] });
        const r = store.get(lower(name));
        if (req.method === "GET") return r ? send(200, r) : armError(404, "ResourceNotFound", `The Resource 'Microsoft.Compute/${kind}/${name}' under resource group '${resourceGroup}' was not found.`);
        if (req.method === "PUT") {
          const b = body as Resource;
          const made: Resource = { ...b, id: `${rg}/providers/Microsoft.Compute/${kind}/${name}`, name, type: `Microsoft.Compute/${kind}`, properties: { ...b.properties, provisioningState: "Succeeded", timeCreated: new Date().toISOString(), diskSizeGB: b.properties?.diskSizeGB ?? 30 } };
          exchanges.push({ method: "PUT", path: p, query, body, status: r ? 200 : 201 });
          return lro(res, r ? 200 : 201, made, () => void store.set(lower(name), made));
        }
        if (req.method === "PATCH") {
          if (!r) return armError(404, "ResourceNotFound", "not found");
          exchanges.push({ method: "PATCH", path: p, query, body, status: 202 });
          return lro(res, 202, undefined, () => (Object.assign(r.properties, (body as Resource).properties), r), "Location");
        }
        if (req.method === "DELETE") {
          if (!r) return send(204);
          exchanges.push({ method: "DELETE", path: p, query, body, status: 202 });
          return lro(res, 202, undefined, () => void store.delete(lower(name)), "Location");
        }
      }
      return armError(404, "InvalidResourceType", `The resource type could not be found (${req.method} ${p}).`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sockets = new Set<import("node:net").Socket>();
  server.on("secureConnection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return {
    url: base,
    ca: cert,
    tenantId,
    clientId,
    clientSecret,
    subscriptionId,
    resourceGroup,
    exchanges,
    vms,
    nics,
    disks,
    snapshots,
    failNext: (match, status, code, message) => {
      failure = { match, status, code, message };
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
