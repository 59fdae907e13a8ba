// The browser console end to end against real Podman (Docker API): a ticket from the verb, the
// WebSocket server on a real HTTP server, a shell in a real container; and every refusal
// (reused, expired, forged, revoked session, other user's machine, stopped machine, foreign
// origin) without a shell ever being opened.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "@/test/factories";
import { waitFor } from "@/test/wait";
import { requireEndpoints } from "@/test/conformance/endpoints";
import { DockerDriver } from "@/lib/drivers/docker/docker-driver";
import { LxdDriver } from "@/lib/drivers/lxd/lxd-driver";
import { createSession, revokeSession } from "@/lib/auth/sessions";
import type { Ctx } from "@/lib/context";
import { issueConsoleTicket, getConsoleInfo } from "./issue-ticket";
import { consumeTicket, newTicket } from "./tickets";
import { createConsoleServer, type ConsoleServer } from "./ws-server";
import { CLOSE } from "./protocol";

const found = requireEndpoints("Docker (Podman)", ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"]);
const env = "values" in found ? found.values : {};
const podman = "values" in found && existsSync(env.ORQ_DOCKER_SOCKET);

let tdb: TestDatabase;
let server: http.Server;
let consoles: ConsoleServer;
let base: string;
let driver: DockerDriver | undefined;
let containerRef: string | undefined;
let machineId: string;
let projectId: string;
let owner: { id: string };
let ownerCtx: Ctx;

async function sessionCtx(userId: string): Promise<Ctx> {
  const ctx = await ctxFor(tdb.db, userId);
  return { ...ctx, sessionId: await createSession(tdb.db, { userId, now: new Date() }) };
}

interface Conn {
  ws: WebSocket;
  output: () => string;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(ticket: string, headers: Record<string, string> = {}): Conn {
  const ws = new WebSocket(`${base}/api/console/ws?ticket=${encodeURIComponent(ticket)}&cols=100&rows=30`, { headers });
  let out = "";
  ws.on("message", (d: Buffer) => (out += d.toString("utf8")));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on("unexpected-response", (_req, res) => resolve({ code: res.statusCode ?? 0, reason: "http" }));
    ws.on("error", () => undefined);
  });
  return { ws, output: () => out, closed };
}

const auditActions = async () => (await tdb.db.auditEvent.findMany({ where: { targetId: machineId }, orderBy: { at: "asc" } })).map((e) => ({ action: e.action, after: e.after as Record<string, unknown> }));

describe.skipIf(!podman && !process.env.CI)("browser console on a Podman container", () => {
  beforeAll(async () => {
    tdb = await createTestDatabase();
    const db = tdb.db;
    owner = await makeUser(db);
    const project = await makeProject(db);
    projectId = project.id;
    await addMember(db, project.id, owner.id, "MEMBER");
    const provider = await db.provider.create({ data: { name: `podman-${randomUUID().slice(0, 6)}`, kind: "DOCKER", endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`, config: {} } });
    machineId = randomUUID();
    driver = new DockerDriver({ providerId: provider.id, endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`, credentials: {}, config: { stopTimeoutSeconds: 1 } });
    const made = await driver.provision({ machineId, installationId: randomUUID(), name: "console test", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: env.ORQ_DOCKER_IMAGE }, `console-${machineId}`);
    containerRef = made.ref;
    const [offering, template] = await Promise.all([makeOffering(db), makeTemplate(db)]);
    await db.machine.create({
      data: { id: machineId, projectId, ownerId: owner.id, offeringId: offering.id, templateId: template.id, name: "console-test", ...TEST_RESERVATION, state: "RUNNING", providerId: provider.id, externalRef: containerRef },
    });
    ownerCtx = await sessionCtx(owner.id);
    consoles = createConsoleServer({ db, stateCheckMs: 200 });
    server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on("upgrade", (req, socket, head) => consoles.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await consoles?.close();
    await new Promise((r) => server?.close(r));
    if (containerRef) await driver?.destroy(containerRef).catch(() => undefined);
    await driver?.close();
    await tdb?.drop();
  }, 60_000);

  it("runs a command in the container's shell and audits the session with its bytes", async () => {
    const info = await getConsoleInfo(ownerCtx, { machineId });
    expect(info).toMatchObject({ kind: "shell", unavailable: null });
    const { ticket, path, kind } = await issueConsoleTicket(ownerCtx, { machineId });
    expect(path).toBe("/api/console/ws");
    expect(kind).toBe("shell");
    // Stored hashed only.
    expect(await tdb.db.consoleTicket.count({ where: { tokenHash: ticket } })).toBe(0);
    const c = connect(ticket);
    await new Promise((r) => c.ws.once("open", r));
    const n = Math.floor(Math.random() * 1e9);
    // The arithmetic proves the shell ran it: the echoed keystrokes say $((6*7)), the output 42.
    c.ws.send(Buffer.from(`echo hello-$((6*7))-${n}\r`));
    await waitFor("the command's output", () => c.output().includes(`hello-42-${n}`));
    c.ws.close(CLOSE.normal);
    expect((await c.closed).code).toBe(CLOSE.normal);
    await waitFor("the close audit event", async () => (await auditActions()).some((e) => e.action === "machine.console_close"));
    const events = await auditActions();
    expect(events.map((e) => e.action)).toEqual(["machine.console_open", "machine.console_close"]);
    const closeEvent = events[1].after;
    expect(closeEvent.kind).toBe("shell");
    expect(closeEvent.bytesIn).toBeGreaterThan(10);
    expect(closeEvent.bytesOut).toBeGreaterThan(10);
    expect(typeof closeEvent.durationMs).toBe("number");
  });

  it("refuses a used ticket", async () => {
    const { ticket } = await issueConsoleTicket(ownerCtx, { machineId });
    const first = connect(ticket);
    await new Promise((r) => first.ws.once("open", r));
    first.ws.send(Buffer.from("echo first-$((1+1))\r"));
    await waitFor("the first session's output", () => first.output().includes("first-2"));
    const second = connect(ticket);
    expect((await second.closed).code).toBe(CLOSE.ticket);
    expect(second.output()).toBe("");
    first.ws.close();
    await first.closed;
  });

  it("consumes a ticket once even when two connections race for it", async () => {
    const { token, tokenHash } = newTicket();
    await tdb.db.consoleTicket.create({ data: { tokenHash, userId: owner.id, sessionId: ownerCtx.sessionId!, machineId, expiresAt: new Date(Date.now() + 30_000) } });
    const results = await Promise.all([consumeTicket(tdb.db, token, new Date()), consumeTicket(tdb.db, token, new Date()), consumeTicket(tdb.db, token, new Date())]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await consumeTicket(tdb.db, "not-a-ticket", new Date())).toBeNull();
    expect(await consumeTicket(tdb.db, undefined, new Date())).toBeNull();
  });

  it("refuses an expired ticket", async () => {
    const past = new Date(Date.now() - 31_000);
    const { ticket } = await issueConsoleTicket({ ...ownerCtx, now: () => past }, { machineId });
    expect((await connect(ticket).closed).code).toBe(CLOSE.ticket);
  });

  it("refuses a ticket whose browser session was revoked", async () => {
    const ctx = await sessionCtx(owner.id);
    const { ticket } = await issueConsoleTicket(ctx, { machineId });
    await revokeSession(tdb.db, ctx.sessionId!, "SIGN_OUT", new Date());
    expect((await connect(ticket).closed).code).toBe(CLOSE.ticket);
  });

  it("keeps other users out: no ticket for an outsider or a viewer, a forged ticket is refused", async () => {
    const outsider = await makeUser(tdb.db);
    const outsiderCtx = await sessionCtx(outsider.id);
    await expect(issueConsoleTicket(outsiderCtx, { machineId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = await makeUser(tdb.db);
    await addMember(tdb.db, projectId, viewer.id, "VIEWER");
    await expect(issueConsoleTicket(await sessionCtx(viewer.id), { machineId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A ticket row for the outsider on this machine (as if issued by a bug) still opens nothing.
    const { token, tokenHash } = newTicket();
    await tdb.db.consoleTicket.create({ data: { tokenHash, userId: outsider.id, sessionId: outsiderCtx.sessionId!, machineId, expiresAt: new Date(Date.now() + 30_000) } });
    const c = connect(token);
    expect((await c.closed).code).toBe(CLOSE.forbidden);
    expect(c.output()).toBe("");
    // No browser session (an API token context): no ticket.
    await expect(issueConsoleTicket({ ...ownerCtx, sessionId: null }, { machineId })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses a page of another origin before upgrading", async () => {
    const { ticket } = await issueConsoleTicket(ownerCtx, { machineId });
    expect((await connect(ticket, { Origin: "https://evil.example" }).closed).code).toBe(403);
    // The ticket was not spent by the refused attempt.
    const c = connect(ticket, { Origin: base.replace("ws:", "http:") });
    await new Promise((r) => c.ws.once("open", r));
    c.ws.close();
    await c.closed;
  });

  it("gives no ticket for a stopped machine and closes an open session when the machine stops", async () => {
    const { ticket } = await issueConsoleTicket(ownerCtx, { machineId });
    const c = connect(ticket);
    await new Promise((r) => c.ws.once("open", r));
    await tdb.db.machine.update({ where: { id: machineId }, data: { state: "STOPPED" } });
    try {
      expect((await c.closed).code).toBe(CLOSE.notRunning);
      await expect(issueConsoleTicket(ownerCtx, { machineId })).rejects.toMatchObject({ code: "CONFLICT" });
      expect(await getConsoleInfo(ownerCtx, { machineId })).toMatchObject({ unavailable: "notRunning" });
    } finally {
      await tdb.db.machine.update({ where: { id: machineId }, data: { state: "RUNNING" } });
    }
  });
});

const lxdFound = requireEndpoints("LXD", ["ORQ_LXD_SOCKET", "ORQ_LXD_IMAGE"]);
const lxdEnv = "values" in lxdFound ? lxdFound.values : {};
const lxd = "values" in lxdFound && existsSync(lxdEnv.ORQ_LXD_SOCKET);

// This test was opt-in for a while: it "hung waiting for the exec output" on a busy machine.
// The cause: the driver left the opening deadline's abort listener on the exec WebSockets, so
// every LXD console was cut 20 s after it was asked for (before its output, when LXD was slow to
// start the exec), and "exit" seemed to end the session only because that cut came. LXD keeps
// the terminal's socket open after the shell exits; the driver follows the exec operation, but
// LXD 5.0.2 here neither closes that socket nor ends the operation after "exit" (the shell is
// gone, the operation stays Running: LXD waits on its terminal mirror). So the driver's command
// prints a marker with the shell's status when the shell exits, and that ends the session with
// the close reason "exit <status>" (the second test).
// Here the opening deadline is 3 s and the session has to outlive it.
describe.skipIf(!lxd && !process.env.CI)("browser console on an LXD container", () => {
  let ldb: TestDatabase;
  let lserver: http.Server;
  let lconsoles: ConsoleServer;
  let lbase: string;
  let ldriver: LxdDriver | undefined;
  let ref: string | undefined;
  let lmachineId: string;
  let ctx: Ctx;

  beforeAll(async () => {
    ldb = await createTestDatabase();
    const db = ldb.db;
    const user = await makeUser(db);
    const project = await makeProject(db);
    await addMember(db, project.id, user.id, "MEMBER");
    const endpoint = `unix://${lxdEnv.ORQ_LXD_SOCKET}`;
    const provider = await db.provider.create({ data: { name: `lxd-${randomUUID().slice(0, 6)}`, kind: "LXD", endpoint, config: {} } });
    lmachineId = randomUUID();
    ldriver = new LxdDriver({ providerId: provider.id, endpoint, credentials: {}, config: { stopTimeoutSeconds: 5 } });
    const made = await ldriver.provision({ machineId: lmachineId, installationId: randomUUID(), name: "console lxd", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: lxdEnv.ORQ_LXD_IMAGE }, `console-${lmachineId}`);
    ref = made.ref;
    const [offering, template] = await Promise.all([makeOffering(db), makeTemplate(db)]);
    await db.machine.create({
      data: { id: lmachineId, projectId: project.id, ownerId: user.id, offeringId: offering.id, templateId: template.id, name: "console-lxd", ...TEST_RESERVATION, state: "RUNNING", providerId: provider.id, externalRef: ref },
    });
    ctx = { ...(await ctxFor(db, user.id)), sessionId: await createSession(db, { userId: user.id, now: new Date() }) };
    lconsoles = createConsoleServer({ db, openTimeoutMs: 3_000 });
    lserver = http.createServer((_req, res) => res.writeHead(404).end());
    lserver.on("upgrade", (req, socket, head) => lconsoles.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => lserver.listen(0, "127.0.0.1", r));
    lbase = `ws://127.0.0.1:${(lserver.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await lconsoles?.close();
    await new Promise((r) => lserver?.close(r));
    if (ref) await ldriver?.destroy(ref).catch(() => undefined);
    await ldriver?.close();
    await ldb?.drop();
  }, 60_000);

  it("runs commands in the instance's shell through LXD's exec WebSockets, past the opening deadline", async () => {
    const { ticket } = await issueConsoleTicket(ctx, { machineId: lmachineId });
    base = lbase;
    const c = connect(ticket);
    await new Promise((r) => c.ws.once("open", r));
    c.ws.send(JSON.stringify({ type: "resize", cols: 120, rows: 40 }));
    const n = Math.floor(Math.random() * 1e9);
    c.ws.send(Buffer.from(`echo lxd-$((6*7))-${n}\r`));
    await waitFor("the command's output", () => c.output().includes(`lxd-42-${n}`));
    // Still there after the opening deadline (3 s): the shell answers a command that takes 4 s.
    c.ws.send(Buffer.from(`sleep 4; echo late-$((1+2))-${n}\r`));
    await waitFor("the late output", () => c.output().includes(`late-3-${n}`));
    // The user closes the console: the session ends and is audited.
    c.ws.close(CLOSE.normal);
    expect((await c.closed).code).toBe(CLOSE.normal);
    await waitFor("the close audit event", async () => (await ldb.db.auditEvent.count({ where: { targetId: lmachineId, action: "machine.console_close" } })) === 1);
  });

  it("typing exit ends the session with the shell's exit status, and the marker never reaches the browser", async () => {
    for (const [typed, status] of [["exit 3", 3], ["exit", 0]] as const) {
      const { ticket } = await issueConsoleTicket(ctx, { machineId: lmachineId });
      base = lbase;
      const c = connect(ticket);
      await new Promise((r) => c.ws.once("open", r));
      const n = Math.floor(Math.random() * 1e9);
      c.ws.send(Buffer.from(`echo ready-${n}\r`));
      await waitFor("the shell's answer", () => c.output().includes(`ready-${n}`));
      c.ws.send(Buffer.from(`${typed}\r`));
      // The server closes the console (no close from this side): normal, with the status.
      expect(await c.closed).toEqual({ code: CLOSE.normal, reason: `exit ${status}` });
      expect(c.output()).not.toContain("orq-exit");
    }
    // Audited with the status (the other test's session, closed by the browser, has none).
    const exited = async () =>
      (await ldb.db.auditEvent.findMany({ where: { targetId: lmachineId, action: "machine.console_close" }, orderBy: { at: "asc" } }))
        .map((e) => e.after as Record<string, unknown>)
        .filter((a) => "exitStatus" in a);
    await waitFor("the close audit events", async () => (await exited()).length === 2);
    expect((await exited()).map((a) => [a.reason, a.exitStatus])).toEqual([
      ["normal", 3],
      ["normal", 0],
    ]);
  });
});
