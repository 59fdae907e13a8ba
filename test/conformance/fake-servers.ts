// Tiny local servers for the failure cases of the conformance suite: one that answers
// garbage to every request, one that accepts connections and never answers. They listen
// only on a unix socket in a temporary directory or on 127.0.0.1.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface FakeServer {
  /** http://127.0.0.1:PORT (tcp) or the socket path (unix). */
  address: string;
  close(): Promise<void>;
}

async function listen(server: net.Server, kind: "tcp" | "unix"): Promise<{ address: string; cleanup: () => void }> {
  if (kind === "unix") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "orq-fake-"));
    const sock = path.join(dir, "fake.sock");
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    return { address: sock, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { address: `http://127.0.0.1:${port}`, cleanup: () => {} };
}

function closer(server: net.Server, sockets: Set<net.Socket>, cleanup: () => void) {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => {
        cleanup();
        resolve();
      });
    });
}

/** An HTTP server whose every answer is 200 with a body that is not what any API returns. */
export async function startGarbageHttpServer(kind: "tcp" | "unix", body = '{"Id": 42, "truncated": [tr'): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    req.resume();
    const xml = /xml/.test(String(req.headers["content-type"] ?? ""));
    res.writeHead(200, { "content-type": xml ? "text/xml" : "application/json" });
    res.end(xml ? "<soapenv:Envelope><notclosed" : body);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const { address, cleanup } = await listen(server, kind);
  return { address, close: closer(server, sockets, cleanup) };
}

/** A raw socket server that writes bytes no protocol expects and keeps the connection. */
export async function startGarbageSocketServer(kind: "tcp" | "unix"): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
    s.on("data", () => s.write(Buffer.from("\x00\x00\x00\x10garbage-garbage!")));
  });
  const { address, cleanup } = await listen(server, kind);
  return { address, close: closer(server, sockets, cleanup) };
}

/** Accepts connections and never answers (a hung endpoint). */
export async function startSilentServer(kind: "tcp" | "unix"): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
  });
  const { address, cleanup } = await listen(server, kind);
  return { address, close: closer(server, sockets, cleanup) };
}

/** A loopback port with nothing listening (bound then released). */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
