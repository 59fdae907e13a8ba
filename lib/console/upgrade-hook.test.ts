// The upgrade hook routes /api/console/ws to the registered console handler (503 without
// one) and leaves every other upgrade (dev HMR) to the server's own listeners.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { HANDLER, installConsoleUpgradeHook } from "./upgrade-hook.mjs";
import { closeReasonOf, CLOSE } from "./protocol";
import { consoleKindOf, consoleUnavailable } from "./availability";

const g = globalThis as unknown as Record<symbol, unknown>;
let server: http.Server;
let url: string;
const seen: string[] = [];

beforeAll(async () => {
  installConsoleUpgradeHook();
  installConsoleUpgradeHook(); // twice: installed once
  server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket) => {
    seen.push(req.url ?? "");
    socket.end("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete g[HANDLER];
  await new Promise((r) => server.close(r));
});

const statusOf = (path: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(`${url}${path}`);
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => (ws.close(), resolve(101)));
    ws.on("error", () => undefined);
  });

describe("console upgrade hook", () => {
  it("answers 503 while no console server is registered, and never reaches the server's listeners", async () => {
    delete g[HANDLER];
    expect(await statusOf("/api/console/ws?ticket=x")).toBe(503);
    expect(seen).toEqual([]);
  });

  it("hands /api/console/ws to the registered handler and other upgrades to the server", async () => {
    const handled: string[] = [];
    g[HANDLER] = (req: http.IncomingMessage, socket: import("node:stream").Duplex) => {
      handled.push(req.url ?? "");
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    };
    expect(await statusOf("/api/console/ws?ticket=abc")).toBe(403);
    expect(handled).toEqual(["/api/console/ws?ticket=abc"]);
    expect(await statusOf("/_next/webpack-hmr")).toBe(418);
    expect(await statusOf("/api/console/wsx")).toBe(418);
    expect(seen).toEqual(["/_next/webpack-hmr", "/api/console/wsx"]);
  });
});

describe("console availability and close codes", () => {
  it("offers a shell on Docker and LXD, nothing on kinds without a console", () => {
    expect(consoleKindOf("DOCKER")).toBe("shell");
    expect(consoleKindOf("LXD")).toBe("shell");
    expect(consoleKindOf("SIMULATOR")).toBeNull();
    expect(consoleKindOf(null)).toBeNull();
  });

  it("says why there is no console", () => {
    expect(consoleUnavailable({ state: "RUNNING", providerKind: null })).toBe("notPlaced");
    expect(consoleUnavailable({ state: "RUNNING", providerKind: "SIMULATOR" })).toBe("unsupported");
    expect(consoleUnavailable({ state: "STOPPED", providerKind: "DOCKER" })).toBe("notRunning");
    expect(consoleUnavailable({ state: "RUNNING", providerKind: "DOCKER", externalRef: null })).toBe("notRunning");
    expect(consoleUnavailable({ state: "RUNNING", providerKind: "DOCKER", externalRef: "abc" })).toBeNull();
  });

  it("maps close codes to reasons, anything else as a lost connection", () => {
    expect(closeReasonOf(CLOSE.ticket)).toBe("ticket");
    expect(closeReasonOf(1000)).toBe("normal");
    expect(closeReasonOf(1006)).toBe("network");
  });
});
