// One logged-in vCenter session per provider, shared by every vSphere driver of that provider
// in this process. Without it each operation logged in (a vCenter session, a keep-alive timer
// and an HTTP agent per operation, never closed); vCenter caps sessions, and a login costs
// more than most calls.
//
// - Keyed by provider id + SDK URL + user name + a fingerprint of the password and TLS
//   settings: changing a provider's credentials never reuses a session opened with the old
//   ones (and a wrong password is never "accepted" through someone else's session).
// - Refcounted leases: a driver takes a lease on first use and returns it in close(). While a
//   session has no lease its keep-alive is stopped, and after `idleMs` it is logged out and its
//   HTTP agent destroyed. An expired session is logged in again by the client on the next call.
// - Bounded: at most `maxSessions` pooled sessions; a new key evicts the longest-idle one, and
//   when every pooled session is leased the new lease gets a private client that is logged out
//   when released (never a leak, only no reuse).
// - Timers are unref'd: the pool never keeps a process alive. closeAll() logs everything out
//   (the worker calls it on shutdown, through the vSphere descriptor).
import { createHash } from "node:crypto";
import { logger } from "../../log/logger";
import { VimClient, type VimClientOptions } from "./client";

export interface SessionKeyParts {
  providerId: string;
  client: VimClientOptions;
}

export interface SessionLease {
  readonly client: VimClient;
  /** Returns the lease (idempotent); the session stays pooled until idle. */
  release(): Promise<void>;
}

interface Entry {
  key: string;
  providerId: string;
  client: VimClient;
  leases: number;
  idleMs: number;
  idleTimer?: NodeJS.Timeout;
  idleSince?: number;
}

export interface SessionPoolStats {
  /** Pooled clients (each holds at most one vCenter session). */
  sessions: number;
  /** Leases out, pooled and private. */
  leases: number;
  /** Pooled clients with nobody using them. */
  idle: number;
  /** Timers the pool runs: idle logouts plus the clients' keep-alives. */
  timers: number;
  /** Private clients (the pool was full) still leased. */
  overflow: number;
}

export function sessionKey(p: SessionKeyParts): string {
  const c = p.client;
  const secret = createHash("sha256")
    .update(JSON.stringify([c.password, c.insecure, c.ca ?? "", c.apiVersion]))
    .digest("hex");
  return JSON.stringify([p.providerId, c.url, c.username, secret]);
}

export class VimSessionPool {
  private readonly entries = new Map<string, Entry>();
  /** Private clients (the pool was full), with their provider id. */
  private readonly overflow = new Map<VimClient, string>();
  private closing = false;

  constructor(private readonly maxSessions: number) {}

  /** A lease on the provider's shared client (created, and later logged in, when absent). */
  acquire(parts: SessionKeyParts, idleMs: number): SessionLease {
    const key = sessionKey(parts);
    let entry = this.entries.get(key);
    if (!entry && this.entries.size >= this.maxSessions && !this.evictIdlest()) {
      return this.privateLease(parts);
    }
    if (!entry) {
      entry = { key, providerId: parts.providerId, client: new VimClient(parts.client), leases: 0, idleMs };
      this.entries.set(key, entry);
    }
    const e = entry;
    e.leases++;
    e.idleMs = idleMs;
    if (e.idleTimer) clearTimeout(e.idleTimer);
    e.idleTimer = undefined;
    e.idleSince = undefined;
    e.client.resumeKeepAlive();
    let released = false;
    return {
      client: e.client,
      release: async () => {
        if (released) return;
        released = true;
        this.release(e);
      },
    };
  }

  private release(e: Entry) {
    e.leases--;
    if (e.leases > 0 || this.entries.get(e.key) !== e) return;
    e.client.pauseKeepAlive();
    e.idleSince = Date.now();
    e.idleTimer = setTimeout(() => {
      e.idleTimer = undefined;
      if (this.entries.get(e.key) !== e || e.leases > 0) return;
      this.entries.delete(e.key);
      void e.client.close();
    }, e.idleMs);
    e.idleTimer.unref();
  }

  /** Logs out the pooled session idle the longest; false when every one is in use. */
  private evictIdlest(): boolean {
    let idlest: Entry | undefined;
    for (const e of this.entries.values()) {
      if (e.leases === 0 && (!idlest || (e.idleSince ?? 0) < (idlest.idleSince ?? 0))) idlest = e;
    }
    if (!idlest) return false;
    if (idlest.idleTimer) clearTimeout(idlest.idleTimer);
    this.entries.delete(idlest.key);
    void idlest.client.close();
    return true;
  }

  private privateLease(parts: SessionKeyParts): SessionLease {
    logger.warn({ providerId: parts.providerId, maxSessions: this.maxSessions }, "vSphere session pool full: this operation logs in on its own");
    const client = new VimClient(parts.client);
    this.overflow.set(client, parts.providerId);
    let released = false;
    return {
      client,
      release: async () => {
        if (released) return;
        released = true;
        this.overflow.delete(client);
        await client.close();
      },
    };
  }

  /** The pool's figures, for one provider or for all. */
  stats(providerId?: string): SessionPoolStats {
    const mine = (p: string) => providerId === undefined || p === providerId;
    const s: SessionPoolStats = { sessions: 0, leases: 0, idle: 0, timers: 0, overflow: 0 };
    for (const e of this.entries.values()) {
      if (!mine(e.providerId)) continue;
      s.sessions++;
      s.leases += e.leases;
      if (e.leases === 0) s.idle++;
      if (e.idleTimer) s.timers++;
      if (e.client.keepAliveRunning) s.timers++;
    }
    for (const [c, p] of this.overflow) {
      if (!mine(p)) continue;
      s.overflow++;
      s.leases++;
      if (c.keepAliveRunning) s.timers++;
    }
    return s;
  }

  /** Logs out every session (pooled and private) and frees their agents and timers. */
  async closeAll(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    try {
      const clients = [...this.overflow.keys()];
      for (const e of this.entries.values()) {
        if (e.idleTimer) clearTimeout(e.idleTimer);
        clients.push(e.client);
      }
      this.entries.clear();
      this.overflow.clear();
      await Promise.allSettled(clients.map((c) => c.close()));
    } finally {
      this.closing = false;
    }
  }
}

/** Enough for every vSphere provider an installation has; the rest log in per operation. */
export const MAX_POOLED_SESSIONS = 32;

/** The process-wide pool every VsphereDriver leases its session from. */
export const vimSessions = new VimSessionPool(MAX_POOLED_SESSIONS);
