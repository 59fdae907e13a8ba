// Calls /api/v1 in-process through the real route modules (app/api/v1/**/route.ts), routed
// by the operations table the way Next routes by folders: the handler, 405s and the
// catch-all included. Integration tests and the OpenAPI fuzz test share it.
import path from "node:path";
import { API_OPERATIONS } from "../lib/api/operations";
import { routeFileFor } from "../lib/api/route-files";

type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Record<string, Handler>;

const templates = [...new Set(API_OPERATIONS.map((o) => o.path))].map((p) => {
  const names: string[] = [];
  const re = new RegExp(`^${p.replace(/\{(\w+)\}/g, (_m, n: string) => (names.push(n), "([^/]+)"))}$`);
  return { path: p, re, names };
})
  // Next prefers a static segment to a dynamic one (/machines/bulk before /machines/{machineId}).
  .sort((a, b) => a.names.length - b.names.length);
const modules = new Map<string, Promise<RouteModule>>();
const load = (file: string) => {
  if (!modules.has(file)) modules.set(file, import(/* @vite-ignore */ file) as Promise<RouteModule>);
  return modules.get(file)!;
};

export interface ApiCallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

/** `target` is the path under /api/v1 with its query string, e.g. "/machines?page=2". */
export async function apiCall(method: string, target: string, o: ApiCallOptions = {}): Promise<ApiAnswer> {
  const url = new URL(`http://localhost/api/v1${target}`);
  const sub = url.pathname.slice("/api/v1".length) || "/";
  let file = path.join(process.cwd(), "app/api/v1/[...rest]/route.ts");
  let params: Record<string, string> = {};
  for (const t of templates) {
    const m = t.re.exec(sub);
    if (m) {
      file = routeFileFor(process.cwd(), t.path);
      params = Object.fromEntries(t.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      break;
    }
  }
  const mod = await load(file);
  const handler = mod[method];
  if (!handler) throw new Error(`${file} exports no ${method}`);
  const headers: Record<string, string> = { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) };
  if (o.body !== undefined) headers["content-type"] = "application/json";
  Object.assign(headers, o.headers);
  const body = o.rawBody ?? (o.body !== undefined ? JSON.stringify(o.body) : undefined);
  const res = await handler(new Request(url, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : body }), { params: Promise.resolve(params) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
