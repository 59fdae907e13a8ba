// The vSphere session pool against a scripted local vCenter: one login per provider shared by
// every lease, keep-alive only while leased, logout and agent closed once idle, a bound on
// pooled sessions, and no session ever shared across different credentials.
import { afterEach, describe, expect, it, vi } from "vitest";
import { closeFakeVcenters, fakeVcenter } from "../../../test/fake-vcenter";
import type { VimClientOptions } from "./client";
import { VimSessionPool } from "./session-pool";
import { VsphereDriver } from "./vsphere-driver";

afterEach(closeFakeVcenters);

const options = (url: string, password = "s3cr&t", keepAliveMs = 0): VimClientOptions => ({ url, username: "u", password, insecure: false, apiVersion: "6.5", keepAliveMs });
const signal = () => AbortSignal.timeout(5_000);
const ping = { type: "ServiceInstance", value: "ServiceInstance" };
const count = (seen: { method: string }[], method: string) => seen.filter((s) => s.method === method).length;

describe("vSphere session pool", () => {
  it("shares one login among the leases of one provider, and logs out once idle", async () => {
    const vc = await fakeVcenter(() => undefined);
    const pool = new VimSessionPool(4);
    const a = pool.acquire({ providerId: "p1", client: options(vc.url) }, 100);
    const b = pool.acquire({ providerId: "p1", client: options(vc.url) }, 100);
    expect(b.client).toBe(a.client);
    await Promise.all([a.client.call("CurrentTime", ping, {}, signal(), "ping"), b.client.call("CurrentTime", ping, {}, signal(), "ping")]);
    await a.release();
    await a.release(); // a second release of one lease changes nothing
    expect(pool.stats()).toMatchObject({ sessions: 1, leases: 1, idle: 0 });
    await b.release();
    expect(pool.stats()).toEqual({ sessions: 1, leases: 0, idle: 1, timers: 1, overflow: 0 });
    // The next operation within the idle time takes the same session: no new login.
    const c = pool.acquire({ providerId: "p1", client: options(vc.url) }, 100);
    expect(c.client).toBe(a.client);
    await c.client.call("CurrentTime", ping, {}, signal(), "ping");
    await c.release();
    expect(count(vc.seen, "Login")).toBe(1);
    expect(vc.sessions.size).toBe(1);
    await vi.waitFor(() => expect(vc.sessions.size).toBe(0), { timeout: 2_000, interval: 20 });
    expect(count(vc.seen, "Logout")).toBe(1);
    expect(pool.stats()).toEqual({ sessions: 0, leases: 0, idle: 0, timers: 0, overflow: 0 });
    expect(a.client.isClosed).toBe(true);
  });

  it("keeps the session alive only while it is leased", async () => {
    const vc = await fakeVcenter(() => undefined);
    const pool = new VimSessionPool(4);
    const a = pool.acquire({ providerId: "p1", client: options(vc.url, "s3cr&t", 40) }, 60_000);
    await a.client.ensureSession(signal());
    expect(a.client.keepAliveRunning).toBe(true);
    await vi.waitFor(() => expect(count(vc.seen, "CurrentTime")).toBeGreaterThanOrEqual(2), { timeout: 2_000, interval: 10 });
    await a.release();
    expect(a.client.keepAliveRunning).toBe(false);
    expect(pool.stats().timers).toBe(1); // the idle timer only
    await new Promise((r) => setTimeout(r, 100));
    const quiet = count(vc.seen, "CurrentTime");
    await new Promise((r) => setTimeout(r, 200));
    expect(count(vc.seen, "CurrentTime")).toBe(quiet);
    const b = pool.acquire({ providerId: "p1", client: options(vc.url, "s3cr&t", 40) }, 60_000);
    expect(b.client.keepAliveRunning).toBe(true);
    await b.release();
    await pool.closeAll();
    expect(vc.sessions.size).toBe(0);
    expect(pool.stats()).toEqual({ sessions: 0, leases: 0, idle: 0, timers: 0, overflow: 0 });
  });

  it("never lends a session to other credentials or another provider", async () => {
    const vc = await fakeVcenter(() => undefined);
    const pool = new VimSessionPool(4);
    const good = pool.acquire({ providerId: "p1", client: options(vc.url) }, 60_000);
    await good.client.ensureSession(signal());
    const wrong = pool.acquire({ providerId: "p1", client: options(vc.url, "wrong") }, 60_000);
    expect(wrong.client).not.toBe(good.client);
    await expect(wrong.client.ensureSession(signal())).rejects.toMatchObject({ code: "AUTH" });
    const other = pool.acquire({ providerId: "p2", client: options(vc.url) }, 60_000);
    expect(other.client).not.toBe(good.client);
    for (const l of [good, wrong, other]) await l.release();
    await pool.closeAll();
  });

  it("is bounded: a new provider evicts the longest-idle session, and when all are in use it logs in privately", async () => {
    const vc = await fakeVcenter(() => undefined);
    const pool = new VimSessionPool(2);
    const p1 = pool.acquire({ providerId: "p1", client: options(vc.url) }, 60_000);
    const p2 = pool.acquire({ providerId: "p2", client: options(vc.url) }, 60_000);
    await p1.client.ensureSession(signal());
    await p2.client.ensureSession(signal());
    // Both in use: a third provider gets a client of its own, logged out when released.
    const p3 = pool.acquire({ providerId: "p3", client: options(vc.url) }, 60_000);
    await p3.client.ensureSession(signal());
    expect(pool.stats()).toMatchObject({ sessions: 2, overflow: 1, leases: 3 });
    await p3.release();
    expect(p3.client.isClosed).toBe(true);
    expect(vc.sessions.size).toBe(2);
    // p1 idle: a fourth provider takes its place, and p1 is logged out.
    await p1.release();
    const p4 = pool.acquire({ providerId: "p4", client: options(vc.url) }, 60_000);
    await vi.waitFor(() => expect(p1.client.isClosed).toBe(true));
    expect(pool.stats()).toMatchObject({ sessions: 2, overflow: 0 });
    await p4.release();
    await p2.release();
    await pool.closeAll();
    expect(vc.sessions.size).toBe(0);
  });

  it("logs in again once when the shared session expires under several calls", async () => {
    const vc = await fakeVcenter(() => undefined);
    const pool = new VimSessionPool(4);
    const leases = [0, 1, 2].map(() => pool.acquire({ providerId: "p1", client: options(vc.url) }, 60_000));
    await leases[0].client.ensureSession(signal());
    vc.sessions.clear(); // the server forgot every session
    await Promise.all(leases.map((l) => l.client.call("CurrentTime", ping, {}, signal(), "ping")));
    expect(count(vc.seen, "Login")).toBe(2);
    for (const l of leases) await l.release();
    await pool.closeAll();
  });

  it("drivers of one provider share the session, say who they are, and a closed driver refuses work", async () => {
    const vc = await fakeVcenter(() => undefined);
    const make = () => new VsphereDriver({ providerId: "prov-1", endpoint: vc.url, credentials: { username: "u", password: "s3cr&t" }, config: { keepAliveSeconds: 0, sessionIdleSeconds: 60 } });
    const d1 = make();
    const d2 = make();
    const client = (d: VsphereDriver) => (d as unknown as { client: { ensureSession: (s: AbortSignal) => Promise<unknown> } }).client;
    await client(d1).ensureSession(signal());
    await client(d2).ensureSession(signal());
    expect(count(vc.seen, "Login")).toBe(1);
    expect(vc.seen.find((s) => s.method === "Login")?.userAgent).toBe("Orquestra (provider prov-1)");
    await d1.close();
    await d1.close();
    expect(() => client(d1)).toThrow(/closed/);
    await d2.close();
    const { vimSessions } = await import("./session-pool");
    expect(vimSessions.stats("prov-1")).toMatchObject({ sessions: 1, leases: 0, idle: 1 });
    await vimSessions.closeAll();
    expect(vc.sessions.size).toBe(0);
  });
});
