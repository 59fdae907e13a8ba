// The console WebSocket (/api/console/ws), served by the web server's own process: Next.js
// route handlers cannot upgrade, so lib/console/upgrade-hook.mjs hands the upgrade to the
// handler instrumentation.ts installs (the same handler a test mounts on its own server).
// A connection presents a one-time ticket (tickets.ts); the server checks the session, the
// permission and the machine again, opens the driver's console and relays bytes both ways
// until either side ends, the user goes idle, the session gets too long or the machine stops.
// Opening and closing are audited (machine.console_open / machine.console_close with the
// duration and the bytes each way).
// No "server-only" here: it runs outside React's server layer.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Db } from "../db/client";
import { sessionActor } from "../auth/sessions";
import { can, type Actor } from "../auth/permissions";
import { recordAudit } from "../audit/record-audit";
import { driverFor, type DriverRegistry } from "../drivers/registry";
import type { ConsoleSession, Driver } from "../drivers/types";
import { logger } from "../log/logger";
import { consoleUnavailable } from "./availability";
import { consumeTicket } from "./tickets";
import { CLOSE, exitReason, type CloseReason } from "./protocol";

export interface ConsoleServerOptions {
  db: Db;
  /** The driver registry (tests pass their own); the real one by default. */
  registry?: () => DriverRegistry | undefined;
  now?: () => Date;
  /** Closes a session without input for this long (ORQ_CONSOLE_IDLE_MS, 30 min). */
  idleMs?: number;
  /** Closes any session after this long (ORQ_CONSOLE_MAX_MS, 8 h). */
  maxMs?: number;
  /** How often the machine's state is checked during a session (10 s). */
  stateCheckMs?: number;
  /** How long the driver may take to open the console (20 s); the session itself may last longer. */
  openTimeoutMs?: number;
}

export interface ConsoleServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every open session and stops accepting new ones. */
  close(): Promise<void>;
}

/** The sender's output is paused while this much is waiting for a slow browser. */
const HIGH_WATER = 4 * 1024 * 1024;
const OPEN_TIMEOUT_MS = 20_000;

const numEnv = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Refuses cross-site pages: a browser always sends Origin on a WebSocket upgrade. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser (the ticket is what counts)
  const host = (req.headers["x-forwarded-host"] as string | undefined)?.split(",")[0]?.trim() || req.headers.host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const toBuffer = (data: Buffer | ArrayBuffer | Buffer[]): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

export function createConsoleServer(opts: ConsoleServerOptions): ConsoleServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const now = opts.now ?? (() => new Date());
  const idleMs = opts.idleMs ?? numEnv("ORQ_CONSOLE_IDLE_MS", 30 * 60_000);
  const maxMs = opts.maxMs ?? numEnv("ORQ_CONSOLE_MAX_MS", 8 * 3600_000);
  const stateCheckMs = opts.stateCheckMs ?? 10_000;
  const openTimeoutMs = opts.openTimeoutMs ?? OPEN_TIMEOUT_MS;
  const open = new Set<() => Promise<void>>();

  async function run(ws: WebSocket, url: URL, early: { messages: [Buffer, boolean][] }) {
    const { db } = opts;
    const refuse = (reason: CloseReason, message: string) => ws.close(CLOSE[reason], message);
    const ticket = await consumeTicket(db, url.searchParams.get("ticket"), now());
    if (!ticket) return refuse("ticket", "ticket refused");
    const actor: Actor | null = await sessionActor(db, ticket.sessionId, now());
    if (!actor || actor.id !== ticket.userId) return refuse("ticket", "session ended");
    const machine = await db.machine.findUnique({
      where: { id: ticket.machineId },
      select: { id: true, name: true, state: true, projectId: true, externalRef: true, provider: { select: { id: true, name: true, kind: true, endpoint: true, credentialsEnc: true, config: true } } },
    });
    if (!machine || !can(actor, "machine.console", machine.projectId)) return refuse("forbidden", "not allowed");
    const provider = machine.provider;
    if (!provider || consoleUnavailable({ state: machine.state, providerKind: provider.kind, providerEndpoint: provider.endpoint, externalRef: machine.externalRef })) return refuse("notRunning", "not running");
    if (ws.readyState !== ws.OPEN) return;

    const cols = Number(url.searchParams.get("cols")) || undefined;
    const rows = Number(url.searchParams.get("rows")) || undefined;
    let driver: Driver | undefined;
    let session: ConsoleSession;
    try {
      driver = await driverFor(provider, { db }, opts.registry?.() ?? undefined);
      if (!driver.openConsole) throw new Error(`${provider.kind} driver has no console`);
      session = await driver.openConsole(machine.externalRef!, { cols, rows, signal: AbortSignal.timeout(openTimeoutMs) });
    } catch (err) {
      logger.warn({ machineId: machine.id, err: err instanceof Error ? err.message : String(err) }, "console: opening failed");
      await driver?.close().catch(() => undefined);
      return refuse("failed", "the provider could not open the console");
    }
    const d = driver;

    const ctx = { actor, correlationId: randomUUID() };
    const startedAt = Date.now();
    let bytesIn = 0;
    let bytesOut = 0;
    let done = false;
    await recordAudit(db, ctx, { action: "machine.console_open", targetType: "Machine", targetId: machine.id, projectId: machine.projectId, after: { kind: session.kind, name: machine.name } }).catch((err: unknown) =>
      logger.error({ err, machineId: machine.id }, "console: audit failed"),
    );

    let idleTimer: NodeJS.Timeout | undefined;
    const resetIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => void finish("idle"), idleMs);
    };
    const maxTimer = setTimeout(() => void finish("maxLength"), maxMs);
    const stateTimer = setInterval(() => {
      void db.machine
        .findUnique({ where: { id: machine.id }, select: { state: true } })
        .then((m) => {
          if (!m || m.state !== "RUNNING") void finish("notRunning");
        })
        .catch(() => undefined);
    }, stateCheckMs);

    const finish = async (reason: CloseReason | "client") => {
      if (done) return;
      done = true;
      open.delete(stop);
      clearTimeout(idleTimer);
      clearTimeout(maxTimer);
      clearInterval(stateTimer);
      // A shell that exited says its status: the close reason "exit <status>" (protocol.ts).
      const exitStatus = reason === "normal" ? (session.exitStatus?.() ?? null) : null;
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(reason === "client" ? CLOSE.normal : CLOSE[reason], exitStatus === null ? reason : exitReason(exitStatus));
      await session.close().catch(() => undefined);
      await d.close().catch(() => undefined);
      await recordAudit(db, ctx, {
        action: "machine.console_close",
        targetType: "Machine",
        targetId: machine.id,
        projectId: machine.projectId,
        after: { kind: session.kind, reason, ...(exitStatus === null ? {} : { exitStatus }), durationMs: Date.now() - startedAt, bytesIn, bytesOut },
      }).catch((err: unknown) => logger.error({ err, machineId: machine.id }, "console: audit failed"));
    };
    const stop = () => finish("normal");
    open.add(stop);

    const output = session.output;
    output.on("data", (chunk: Buffer | string) => {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      bytesOut += buf.length;
      if (ws.readyState !== ws.OPEN) return;
      ws.send(buf, { binary: true });
      if (ws.bufferedAmount > HIGH_WATER) {
        output.pause();
        const wait = () => (ws.readyState !== ws.OPEN || ws.bufferedAmount < HIGH_WATER / 4 ? output.resume() : setTimeout(wait, 50));
        setTimeout(wait, 50);
      }
    });
    output.on("end", () => void finish("normal"));
    output.on("close", () => void finish("normal"));
    output.on("error", () => void finish("failed"));
    const onMessage = (buf: Buffer, isBinary: boolean) => {
      resetIdle();
      if (isBinary) {
        bytesIn += buf.length;
        session.write(buf);
        return;
      }
      if (session.kind !== "shell") return;
      try {
        const msg = JSON.parse(buf.toString("utf8")) as { type?: unknown; cols?: unknown; rows?: unknown; data?: unknown };
        if (msg.type === "resize" && typeof msg.cols === "number" && typeof msg.rows === "number") void session.resize?.(msg.cols, msg.rows);
        else if (msg.type === "input" && typeof msg.data === "string") {
          const input = Buffer.from(msg.data, "utf8");
          bytesIn += input.length;
          session.write(input);
        }
      } catch {
        /* not a control message: ignored */
      }
    };
    // What the browser sent while the console was opening, then the rest as it comes.
    ws.removeAllListeners("message");
    for (const [buf, isBinary] of early.messages.splice(0)) onMessage(buf, isBinary);
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => onMessage(toBuffer(data), isBinary));
    ws.on("close", () => void finish("client"));
    ws.on("error", () => void finish("client"));
    resetIdle();
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (!sameOrigin(req)) {
        socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Kept until the console is open (a browser may type, or send its size, right away).
        const early = { messages: [] as [Buffer, boolean][] };
        ws.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
          if (early.messages.length < 1000) early.messages.push([toBuffer(data), isBinary]);
        });
        run(ws, url, early).catch((err: unknown) => {
          logger.error({ err }, "console: session failed");
          if (ws.readyState === ws.OPEN) ws.close(CLOSE.failed, "internal error");
        });
      });
    },
    async close() {
      await Promise.all([...open].map((stop) => stop()));
      wss.close();
    },
  };
}

