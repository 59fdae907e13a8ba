// Reaching a libvirt domain's VNC display for the browser console (Driver.openConsole).
// Domains listen on the hypervisor's loopback (domain-xml.ts, VNC_GRAPHICS), so the way in
// depends on the libvirt URI: a local hypervisor (qemu:///…, qemu+unix://…) is connected to
// directly (TCP on 127.0.0.1 or the display's unix socket); a remote one over SSH
// (qemu+ssh://user@host:port/…) through `ssh -W` to its loopback, with the same keys and agent
// virsh uses; qemu+tcp:// and qemu+tls:// (no tunnel) reach only a display that listens on the
// network. The session starts once the VNC server has greeted ("RFB 003.00x\n"), so a wrong
// endpoint fails here, not in the browser.
//
// Authentication: the display has a password (domain-xml.ts; a one-time one per console session,
// LibvirtDriver.openConsole), and the proxy answers QEMU's VNC challenge itself (vnc-auth.ts), so
// the password never reaches the browser. The browser then sees a display without security
// (RFB 3.8, type None) and the bytes after the handshake are relayed as they are.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import net from "node:net";
import { PassThrough, type Readable } from "node:stream";
import { DriverError, type ConsoleSession } from "../types";
import type { VncDisplay } from "./domain-xml";
import { vncAuthResponse } from "./vnc-auth";

/** How the console reaches a display, from the libvirt URI (pure; unit-tested). */
export type VncRoute =
  | { kind: "direct"; display: VncDisplay }
  | { kind: "ssh"; args: string[] }
  | { kind: "none"; reason: string };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

export function vncRoute(uri: string, display: VncDisplay): VncRoute {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return { kind: "none", reason: `"${uri}" is not a libvirt URI` };
  }
  const [, transport = ""] = u.protocol.replace(/:$/, "").toLowerCase().split("+");
  const host = u.hostname.replace(/^\[|\]$/g, "");
  // The hypervisor is this machine: a local socket, no host, or the loopback.
  if (transport === "unix" || host === "" || LOOPBACK.test(host)) return { kind: "direct", display };
  if (transport === "ssh" || transport === "libssh" || transport === "libssh2") {
    if (host.startsWith("-")) return { kind: "none", reason: `"${host}" is not a host name` };
    if ("socket" in display) return { kind: "none", reason: "a VNC display on a unix socket cannot be reached through SSH; give the domain a VNC display on 127.0.0.1" };
    const args = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "ExitOnForwardFailure=yes"];
    if (u.port) args.push("-p", u.port);
    if (u.username) args.push("-l", decodeURIComponent(u.username));
    const keyfile = u.searchParams.get("keyfile");
    if (keyfile) args.push("-i", keyfile);
    if (u.searchParams.get("no_verify") === "1") args.push("-o", "StrictHostKeyChecking=no");
    const target = display.host.includes(":") ? `[${display.host}]` : display.host;
    args.push("-W", `${target}:${display.port}`, "--", host);
    return { kind: "ssh", args };
  }
  // tcp / tls / another host without a tunnel: only a display listening on the network.
  if ("socket" in display) return { kind: "none", reason: "the VNC display is a unix socket on a remote hypervisor; use a qemu+ssh:// endpoint" };
  if (LOOPBACK.test(display.host)) return { kind: "none", reason: "the VNC display listens on the hypervisor's loopback only; use a qemu+ssh:// endpoint to reach it" };
  return { kind: "direct", display };
}

/** Waits for the VNC server's greeting, then hands the stream over (the greeting included). */
function afterGreeting(source: Readable, signal: AbortSignal, what: string, abort: () => void): Promise<PassThrough> {
  return new Promise<PassThrough>((resolve, reject) => {
    let settled = false;
    let got = Buffer.alloc(0);
    const fail = (err: DriverError) => {
      if (settled) return;
      settled = true;
      cleanup();
      abort();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < 4) return;
      if (got.subarray(0, 4).toString("latin1") !== "RFB ") return fail(new DriverError("PROVIDER", `${what} is not a VNC server (it did not greet with "RFB")`, false));
      settled = true;
      cleanup();
      source.pause();
      const output = new PassThrough();
      output.write(got);
      source.pipe(output);
      source.on("error", (err) => output.destroy(err));
      source.on("close", () => output.end());
      resolve(output);
    };
    const onEnd = () => fail(new DriverError("UNAVAILABLE", `${what} closed the connection before greeting`));
    const onError = (err: NodeJS.ErrnoException) =>
      fail(new DriverError("UNAVAILABLE", `${what} is unreachable: ${err.code === "ECONNREFUSED" ? "connection refused" : err.code === "ENOENT" ? "no such socket" : err.message}`));
    const onAbort = () => fail(new DriverError("TIMEOUT", `${what} did not answer in time`));
    const cleanup = () => {
      source.off("data", onData);
      source.off("end", onEnd);
      source.off("close", onEnd);
      source.off("error", onError);
      signal.removeEventListener("abort", onAbort);
    };
    if (signal.aborted) return onAbort();
    source.on("data", onData);
    source.once("end", onEnd);
    source.once("close", onEnd);
    source.once("error", onError);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Reads exact byte counts from a stream (the RFB handshake), under the session's deadline. */
class HandshakeReader {
  private buf = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  private failed: Error | null = null;
  private readonly onData = (chunk: Buffer) => {
    this.buf = Buffer.concat([this.buf, chunk]);
    this.waiting?.();
  };
  private readonly onEnd = () => this.fail(new DriverError("UNAVAILABLE", "the VNC display closed the connection during the handshake"));
  constructor(
    private readonly source: PassThrough,
    private readonly signal: AbortSignal,
  ) {
    source.on("data", this.onData);
    source.once("end", this.onEnd);
    source.once("error", this.onEnd);
  }
  private fail(err: Error) {
    this.failed ??= err;
    this.waiting?.();
  }
  async take(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.failed) throw this.failed;
      if (this.signal.aborted) throw new DriverError("TIMEOUT", "the VNC display did not finish its handshake in time");
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        this.waiting = () => {
          this.signal.removeEventListener("abort", onAbort);
          resolve();
        };
        this.signal.addEventListener("abort", onAbort, { once: true });
      });
      this.waiting = null;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
  /** Stops reading; answers what was read beyond the handshake (the stream is paused). */
  release(): Buffer {
    this.source.off("data", this.onData);
    this.source.off("end", this.onEnd);
    this.source.off("error", this.onEnd);
    this.source.pause();
    return this.buf;
  }
}

const NONE = 1;
const VNC_AUTH = 2;

/**
 * The client side of the RFB 3.8 handshake with the display, up to (not including) ClientInit:
 * VNC authentication with `password` when the display asks for it, or None when it has no
 * password (a domain defined before consoles had passwords). Answers the bytes read beyond it.
 */
export async function authenticateVnc(server: PassThrough, send: (b: Buffer) => void, password: string | null, signal: AbortSignal): Promise<Buffer> {
  const r = new HandshakeReader(server, signal);
  try {
    const version = (await r.take(12)).toString("latin1");
    const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(version);
    if (!m || Number(m[1]) < 3 || (Number(m[1]) === 3 && Number(m[2]) < 8)) throw new DriverError("UNSUPPORTED", `the VNC display speaks ${JSON.stringify(version.trim())}; the console needs RFB 3.8`, false);
    send(Buffer.from("RFB 003.008\n", "latin1"));
    const reason = async () => (await r.take((await r.take(4)).readUInt32BE(0))).toString("utf8");
    const count = (await r.take(1))[0];
    if (count === 0) throw new DriverError("PROVIDER", `the VNC display refused the connection: ${await reason()}`, false);
    const types = [...(await r.take(count))];
    if (types.includes(VNC_AUTH) && password !== null) {
      send(Buffer.from([VNC_AUTH]));
      send(vncAuthResponse(password, await r.take(16)));
    } else if (types.includes(NONE)) {
      send(Buffer.from([NONE]));
    } else {
      throw new DriverError("UNSUPPORTED", types.includes(VNC_AUTH) ? "the VNC display asks for a password and none could be set for this session" : `the VNC display offers no security type the console speaks (${types.join(", ")})`, false);
    }
    if ((await r.take(4)).readUInt32BE(0) !== 0) throw new DriverError("PROVIDER", `the VNC display refused the console's password: ${await reason()}`, false);
    return r.release();
  } catch (err) {
    r.release();
    throw err;
  }
}

/**
 * The browser's side: a display without security (RFB 3.8, None). Answers the stream to the
 * browser (the server greeting already in it) and a function taking the browser's bytes, which
 * are handed to `relay` once the browser has chosen None (ClientInit onwards).
 */
function browserHandshake(relay: (b: Buffer) => void, refuse: () => void): { toBrowser: PassThrough; fromBrowser: (b: Buffer) => void } {
  const toBrowser = new PassThrough();
  toBrowser.write(Buffer.from("RFB 003.008\n", "latin1"));
  let state: "version" | "security" | "relay" = "version";
  let got = Buffer.alloc(0);
  const fromBrowser = (data: Buffer) => {
    if (state === "relay") return relay(data);
    got = Buffer.concat([got, data]);
    if (state === "version") {
      if (got.length < 12) return;
      if (!/^RFB 003\.00[78]\n$/.test(got.subarray(0, 12).toString("latin1"))) return refuse();
      got = got.subarray(12);
      state = "security";
      toBrowser.write(Buffer.from([1, NONE]));
    }
    if (state === "security") {
      if (got.length < 1) return;
      if (got[0] !== NONE) return refuse();
      const rest = got.subarray(1);
      got = Buffer.alloc(0);
      state = "relay";
      toBrowser.write(Buffer.alloc(4)); // SecurityResult: OK
      if (rest.length) relay(rest);
    }
  };
  return { toBrowser, fromBrowser };
}

/**
 * Authenticates to the display over `server` (its output, greeting included) and `send`, then
 * answers the browser's side of the session: the display's bytes after the handshake follow the
 * browser's own handshake, and the browser's bytes after it go to the display.
 */
async function authenticatedSession(server: PassThrough, send: (b: Buffer) => void, password: string | null, signal: AbortSignal, refuse: () => void) {
  const extra = await authenticateVnc(server, send, password, signal);
  const { toBrowser, fromBrowser } = browserHandshake(send, refuse);
  if (extra.length) toBrowser.write(extra);
  server.pipe(toBrowser);
  server.resume();
  return { output: toBrowser, write: fromBrowser };
}

/**
 * Connects to the display as the route says, authenticates with `password` (null: the display has
 * none) and answers a console session of kind "vnc".
 */
export async function openVncSession(route: VncRoute, signal: AbortSignal, password: string | null = null): Promise<ConsoleSession> {
  if (route.kind === "none") throw new DriverError("UNSUPPORTED", `libvirt: ${route.reason}`, false);
  if (route.kind === "direct") {
    const d = route.display;
    const what = "socket" in d ? `the VNC display (${d.socket})` : `the VNC display (${d.host}:${d.port})`;
    const sock = "socket" in d ? net.connect({ path: d.socket }) : net.connect({ host: d.host, port: d.port });
    sock.setNoDelay(true);
    const greeted = await afterGreeting(sock, signal, what, () => sock.destroy());
    let closed = false;
    const toServer = (data: Buffer) => {
      if (!closed && sock.writable) sock.write(data);
    };
    let session: Awaited<ReturnType<typeof authenticatedSession>>;
    try {
      session = await authenticatedSession(greeted, toServer, password, signal, () => sock.destroy());
    } catch (err) {
      sock.destroy();
      throw err;
    }
    const output = session.output;
    return {
      kind: "vnc",
      output,
      write: session.write,
      close: async () => {
        if (closed) return;
        closed = true;
        sock.destroy();
        output.end();
      },
    };
  }
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn("ssh", route.args, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
  } catch (err) {
    throw new DriverError("UNAVAILABLE", `ssh could not start: ${(err as Error).message}`, false);
  }
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-400)));
  child.stdin.on("error", () => undefined);
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  child.once("error", (err: NodeJS.ErrnoException) => child.stdout.destroy(err.code === "ENOENT" ? Object.assign(new Error("ssh is not installed"), { code: "ENOENT" }) : err));
  let closed = false;
  const toServer = (data: Buffer) => {
    if (!closed && child.stdin.writable) child.stdin.write(data);
  };
  let session: Awaited<ReturnType<typeof authenticatedSession>>;
  try {
    const greeted = await afterGreeting(child.stdout, signal, "the VNC display (through ssh)", kill);
    session = await authenticatedSession(greeted, toServer, password, signal, kill);
  } catch (err) {
    kill();
    if (err instanceof DriverError && stderr.trim()) throw new DriverError(err.code, `${err.message}: ${stderr.trim().replace(/\s+/g, " ")}`, err.retryable);
    throw err;
  }
  const output = session.output;
  return {
    kind: "vnc",
    output,
    write: session.write,
    close: async () => {
      if (closed) return;
      closed = true;
      kill();
      output.end();
    },
  };
}
