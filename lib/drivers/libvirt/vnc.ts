// Reaching a libvirt domain's VNC display for the browser console (Driver.openConsole).
// Domains listen on the hypervisor's loopback (domain-xml.ts, VNC_GRAPHICS), so the way in
// depends on the libvirt URI: a local hypervisor (qemu:///…, qemu+unix://…) is connected to
// directly (TCP on 127.0.0.1 or the display's unix socket); a remote one over SSH
// (qemu+ssh://user@host:port/…) through `ssh -W` to its loopback, with the same keys and agent
// virsh uses; qemu+tcp:// and qemu+tls:// (no tunnel) reach only a display that listens on the
// network. The session starts once the VNC server has greeted ("RFB 003.00x\n"), so a wrong
// endpoint fails here, not in the browser. The bytes are then relayed as they are.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import net from "node:net";
import { PassThrough, type Readable } from "node:stream";
import { DriverError, type ConsoleSession } from "../types";
import type { VncDisplay } from "./domain-xml";

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

/** Connects to the display as the route says and answers a console session of kind "vnc". */
export async function openVncSession(route: VncRoute, signal: AbortSignal): Promise<ConsoleSession> {
  if (route.kind === "none") throw new DriverError("UNSUPPORTED", `libvirt: ${route.reason}`, false);
  if (route.kind === "direct") {
    const d = route.display;
    const what = "socket" in d ? `the VNC display (${d.socket})` : `the VNC display (${d.host}:${d.port})`;
    const sock = "socket" in d ? net.connect({ path: d.socket }) : net.connect({ host: d.host, port: d.port });
    sock.setNoDelay(true);
    const output = await afterGreeting(sock, signal, what, () => sock.destroy());
    let closed = false;
    return {
      kind: "vnc",
      output,
      write: (data) => {
        if (!closed && sock.writable) sock.write(data);
      },
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
  let output: PassThrough;
  try {
    output = await afterGreeting(child.stdout, signal, "the VNC display (through ssh)", kill);
  } catch (err) {
    if (err instanceof DriverError && stderr.trim()) throw new DriverError(err.code, `${err.message}: ${stderr.trim().replace(/\s+/g, " ")}`, err.retryable);
    throw err;
  }
  let closed = false;
  return {
    kind: "vnc",
    output,
    write: (data) => {
      if (!closed && child.stdin.writable) child.stdin.write(data);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      kill();
      output.end();
    },
  };
}
