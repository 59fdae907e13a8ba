// The VNC console end to end against a real QEMU VM (libvirt qemu:///session of the shared
// backends): the driver defines the domain with its VNC display on the loopback, a ticket
// from the verb opens the console WebSocket, and the RFB handshake runs through the proxy in
// both directions up to the server's framebuffer size. Refusals: a reused ticket, another
// user's machine, a machine that is not running (by Orquestra's state, and a domain stopped
// behind Orquestra's back).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "@/test/factories";
import { waitFor } from "@/test/wait";
import { requireEndpoints } from "@/test/conformance/endpoints";
import { LibvirtDriver } from "@/lib/drivers/libvirt/libvirt-driver";
import { createSession } from "@/lib/auth/sessions";
import type { Ctx } from "@/lib/context";
import { getConsoleInfo, issueConsoleTicket } from "./issue-ticket";
import { newTicket } from "./tickets";
import { createConsoleServer, type ConsoleServer } from "./ws-server";
import { CLOSE } from "./protocol";
import net from "node:net";
import { PassThrough } from "node:stream";
import { authenticateVnc } from "@/lib/drivers/libvirt/vnc";
import { parseVncDisplay } from "@/lib/drivers/libvirt/domain-xml";

const found = requireEndpoints("libvirt QEMU session", ["ORQ_LIBVIRT_SOCKET", "ORQ_LIBVIRT_QEMU_URI", "ORQ_LIBVIRT_QEMU_POOL", "ORQ_LIBVIRT_QEMU_POOL_DIR"]);
const env = "values" in found ? found.values : {};
const qemu = "values" in found && existsSync(env.ORQ_LIBVIRT_SOCKET);
/** A blank disk: the VM shows the BIOS's "no bootable device" screen, which is all VNC needs. */
const BASE = "orquestra-vnc-base.qcow2";
const NOBODY = 65534;

/** A WebSocket client that collects the binary frames it gets, with a way to wait for N bytes. */
class Client {
  readonly ws: WebSocket;
  private buf = Buffer.alloc(0);
  readonly closed: Promise<{ code: number; reason: string }>;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on("message", (d: Buffer, isBinary: boolean) => {
      if (isBinary) this.buf = Buffer.concat([this.buf, d]);
    });
    this.closed = new Promise((resolve) => {
      this.ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
      this.ws.on("unexpected-response", (_req, res) => resolve({ code: res.statusCode ?? 0, reason: "http" }));
      this.ws.on("error", () => undefined);
    });
  }
  get received(): number {
    return this.buf.length;
  }
  /** The next n bytes of the stream (waits for them). */
  async take(n: number, what: string): Promise<Buffer> {
    await waitFor(what, () => this.buf.length >= n);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

describe.skipIf(!qemu && !process.env.CI)("VNC console on a libvirt QEMU VM", () => {
  let tdb: TestDatabase;
  let server: http.Server;
  let consoles: ConsoleServer;
  let base: string;
  let driver: LibvirtDriver;
  let ref: string | undefined;
  let machineId: string;
  let projectId: string;
  let ctx: Ctx;

  const sessionCtx = async (userId: string): Promise<Ctx> => ({ ...(await ctxFor(tdb.db, userId)), sessionId: await createSession(tdb.db, { userId, now: new Date() }) });
  const connect = (ticket: string) => new Client(`${base}/api/console/ws?ticket=${encodeURIComponent(ticket)}`);

  beforeAll(async () => {
    const image = path.join(env.ORQ_LIBVIRT_QEMU_POOL_DIR, BASE);
    if (!existsSync(image)) {
      const tmp = mkdtempSync(path.join(os.tmpdir(), "orq-vnc-"));
      try {
        writeFileSync(path.join(tmp, "blank.raw"), Buffer.alloc(1024 * 1024));
        execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", path.join(tmp, "blank.raw"), image]);
        chownSync(image, NOBODY, NOBODY);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_QEMU_URI, "-q", "pool-refresh", env.ORQ_LIBVIRT_QEMU_POOL], { stdio: "ignore" });
    }
    tdb = await createTestDatabase();
    const db = tdb.db;
    const owner = await makeUser(db);
    const project = await makeProject(db);
    projectId = project.id;
    await addMember(db, project.id, owner.id, "MEMBER");
    const config = { storagePool: env.ORQ_LIBVIRT_QEMU_POOL, domainType: "qemu", stopTimeoutSeconds: 1 };
    const provider = await db.provider.create({ data: { name: `qemu-${randomUUID().slice(0, 6)}`, kind: "LIBVIRT", endpoint: env.ORQ_LIBVIRT_QEMU_URI, config } });
    machineId = randomUUID();
    driver = new LibvirtDriver({ providerId: provider.id, endpoint: env.ORQ_LIBVIRT_QEMU_URI, credentials: {}, config });
    const made = await driver.provision(
      { machineId, installationId: randomUUID(), name: "vnc console", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", templateRef: image },
      `vnc-${machineId}`,
    );
    ref = made.ref;
    const [offering, template] = await Promise.all([makeOffering(db), makeTemplate(db)]);
    await db.machine.create({
      data: { id: machineId, projectId, ownerId: owner.id, offeringId: offering.id, templateId: template.id, name: "vnc-test", ...TEST_RESERVATION, state: "RUNNING", providerId: provider.id, externalRef: ref },
    });
    ctx = await sessionCtx(owner.id);
    consoles = createConsoleServer({ db, stateCheckMs: 200 });
    server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on("upgrade", (req, socket, head) => consoles.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await consoles?.close();
    await new Promise((r) => server?.close(r));
    if (ref) await driver?.destroy(ref).catch(() => undefined);
    await driver?.close();
    await tdb?.drop();
  }, 60_000);

  it("relays the RFB handshake both ways up to the VM's screen size, and audits the session", async () => {
    expect(await getConsoleInfo(ctx, { machineId })).toMatchObject({ kind: "vnc", unavailable: null });
    const { ticket, kind } = await issueConsoleTicket(ctx, { machineId });
    expect(kind).toBe("vnc");
    const c = connect(ticket);
    // The server speaks first: its protocol version, through the proxy.
    expect((await c.take(12, "the RFB banner")).toString("latin1")).toMatch(/^RFB 003\.00\d\n$/);
    c.ws.send(Buffer.from("RFB 003.008\n"));
    // Security types: the proxy authenticated to QEMU with the session's one-time password and
    // offers the browser "None" (1); QEMU itself offers only VNC authentication (below).
    const count = (await c.take(1, "the security types count"))[0];
    expect(count).toBeGreaterThan(0);
    const types = [...(await c.take(count, "the security types"))];
    expect(types).toContain(1);
    c.ws.send(Buffer.from([1]));
    expect((await c.take(4, "the security result")).readUInt32BE(0)).toBe(0);
    c.ws.send(Buffer.from([1])); // ClientInit: shared
    const init = await c.take(24, "the ServerInit");
    const width = init.readUInt16BE(0);
    const height = init.readUInt16BE(2);
    expect(width).toBeGreaterThanOrEqual(320);
    expect(height).toBeGreaterThanOrEqual(200);
    const nameLength = init.readUInt32BE(20);
    expect((await c.take(nameLength, "the desktop name")).toString("utf8")).toContain(ref);
    c.ws.close(CLOSE.normal);
    expect((await c.closed).code).toBe(CLOSE.normal);
    await waitFor("the close audit event", async () => (await tdb.db.auditEvent.count({ where: { targetId: machineId, action: "machine.console_close" } })) === 1);
    const events = await tdb.db.auditEvent.findMany({ where: { targetId: machineId }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["machine.console_open", "machine.console_close"]);
    const after = events[1].after as Record<string, unknown>;
    expect(after).toMatchObject({ kind: "vnc", reason: "client" });
    expect(after.bytesIn).toBe(12 + 1 + 1);
    expect(after.bytesOut).toBeGreaterThanOrEqual(12 + 1 + count + 4 + 24 + nameLength);
  });

  /** A raw TCP connection to the domain's VNC display on the hypervisor's loopback (what anyone on the host could open). */
  const rawDisplay = () => {
    const display = parseVncDisplay(execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_QEMU_URI, "-q", "dumpxml", "--domain", ref!], { encoding: "utf8" }));
    if (!display || "socket" in display) throw new Error("no TCP display");
    const sock = net.connect({ host: display.host, port: display.port });
    const out = new PassThrough();
    sock.pipe(out);
    sock.on("error", () => undefined);
    return { sock, out, send: (b: Buffer) => void sock.write(b) };
  };

  it("the display takes no connection without the password: QEMU offers only VNC authentication and refuses a wrong answer", async () => {
    const { sock, out, send } = rawDisplay();
    try {
      const take = async (n: number) => {
        let buf = Buffer.alloc(0);
        while (buf.length < n) {
          const chunk = out.read() as Buffer | null;
          if (chunk) buf = Buffer.concat([buf, chunk]);
          else await new Promise((r) => out.once("readable", r));
        }
        if (buf.length > n) out.unshift(buf.subarray(n));
        return buf.subarray(0, n);
      };
      expect((await take(12)).toString("latin1")).toBe("RFB 003.008\n");
      send(Buffer.from("RFB 003.008\n"));
      const count = (await take(1))[0];
      expect([...(await take(count))]).toEqual([2]); // VNC authentication only, no "None"
      send(Buffer.from([2]));
      await take(16); // the challenge
      send(Buffer.alloc(16)); // an answer without the password
      expect((await take(4)).readUInt32BE(0)).not.toBe(0);
    } finally {
      sock.destroy();
    }
    // The proxy's handshake code with a wrong password is refused; with the display's password
    // (set here as the driver sets a session's: update-device --live; the live XML shows the
    // previous session's passwdValidTo, which is replaced) it is accepted.
    const attempt = async (password: string) => {
      const { sock: s, out: o, send: w } = rawDisplay();
      try {
        return await authenticateVnc(o, w, password, AbortSignal.timeout(20_000)).then(
          () => "accepted",
          (e: Error) => e.message,
        );
      } finally {
        s.destroy();
      }
    };
    expect(await attempt("wrong-pw")).toMatch(/refused the console's password/);
    const xml = execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_QEMU_URI, "-q", "dumpxml", "--domain", ref!], { encoding: "utf8" });
    const graphics = /<graphics\s[^>]*type='vnc'[^>]*?(?:\/>|>[\s\S]*?<\/graphics>)/.exec(xml)![0];
    const dir = mkdtempSync(path.join(os.tmpdir(), "orq-vnc-pw-"));
    try {
      const validTo = new Date(Date.now() + 60_000).toISOString().slice(0, 19);
      writeFileSync(path.join(dir, "g.xml"), graphics.replace(/\s(passwd|passwdValidTo)=(['"])[^'"]*\2/g, "").replace(/^<graphics/, `<graphics passwd='Kn0wn-pw' passwdValidTo='${validTo}'`));
      execFileSync("virsh", ["-c", env.ORQ_LIBVIRT_QEMU_URI, "-q", "update-device", "--domain", ref!, "--file", path.join(dir, "g.xml"), "--live"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await attempt("Kn0wn-pw")).toBe("accepted");
    expect(await attempt("Kn0wn-pX")).toMatch(/refused the console's password/);
  });

  it("refuses a reused ticket without reaching the display", async () => {
    const { ticket } = await issueConsoleTicket(ctx, { machineId });
    const first = connect(ticket);
    await first.take(12, "the first session's banner");
    const second = connect(ticket);
    expect((await second.closed).code).toBe(CLOSE.ticket);
    expect(second.received).toBe(0);
    first.ws.close();
    await first.closed;
  });

  it("keeps other users out", async () => {
    const outsider = await makeUser(tdb.db);
    const outsiderCtx = await sessionCtx(outsider.id);
    await expect(issueConsoleTicket(outsiderCtx, { machineId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = await makeUser(tdb.db);
    await addMember(tdb.db, projectId, viewer.id, "VIEWER");
    await expect(issueConsoleTicket(await sessionCtx(viewer.id), { machineId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A ticket row for the outsider (as if a bug had issued it) still opens nothing.
    const { token, tokenHash } = newTicket();
    await tdb.db.consoleTicket.create({ data: { tokenHash, userId: outsider.id, sessionId: outsiderCtx.sessionId!, machineId, expiresAt: new Date(Date.now() + 30_000) } });
    const c = connect(token);
    expect((await c.closed).code).toBe(CLOSE.forbidden);
    expect(c.received).toBe(0);
  });

  it("has no console for a machine that is not running, and fails cleanly when the domain is off behind Orquestra's back", async () => {
    await tdb.db.machine.update({ where: { id: machineId }, data: { state: "STOPPED" } });
    try {
      expect(await getConsoleInfo(ctx, { machineId })).toMatchObject({ kind: "vnc", unavailable: "notRunning" });
      await expect(issueConsoleTicket(ctx, { machineId })).rejects.toMatchObject({ code: "CONFLICT" });
    } finally {
      await tdb.db.machine.update({ where: { id: machineId }, data: { state: "RUNNING" } });
    }
    // Orquestra still says RUNNING, the domain is shut off: the driver refuses, nothing is relayed.
    await driver.stop(ref!);
    const { ticket } = await issueConsoleTicket(ctx, { machineId });
    const c = connect(ticket);
    expect((await c.closed).code).toBe(CLOSE.failed);
    expect(c.received).toBe(0);
    await expect(driver.openConsole(ref!)).rejects.toMatchObject({ code: "UNSUPPORTED", message: expect.stringMatching(/not running/) });
  });
});
