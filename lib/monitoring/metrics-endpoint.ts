// GET /metrics: the platform's Prometheus metrics in OpenMetrics text. Off unless
// ORQ_METRICS_TOKEN is set (then 404: nothing to discover); a scrape must carry
// `Authorization: Bearer <token>` (compared in constant time). The registry is built once per
// process. No "server-only": the Prometheus integration test serves it from its own server.
import { timingSafeEqual } from "node:crypto";
import type { Registry } from "prom-client";
import type { Db } from "../db/client";
import { platformRegistry } from "./platform-metrics";

let registry: { db: Db; registry: Registry } | null = null;

function tokenMatches(header: string | null, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function serveMetrics(request: Request, db: Db, token = process.env.ORQ_METRICS_TOKEN): Promise<Response> {
  if (!token) return new Response("Not Found\n", { status: 404, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  if (!tokenMatches(request.headers.get("authorization"), token)) {
    return new Response("Unauthorized\n", { status: 401, headers: { "Content-Type": "text/plain", "WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store" } });
  }
  if (!registry || registry.db !== db) registry = { db, registry: platformRegistry(db) };
  const body = await registry.registry.metrics();
  return new Response(body, { status: 200, headers: { "Content-Type": registry.registry.contentType, "Cache-Control": "no-store" } });
}

/** The route's handler: the application's database. */
export async function metricsRoute(request: Request): Promise<Response> {
  const { prisma } = await import("../db/client");
  return serveMetrics(request, prisma());
}
