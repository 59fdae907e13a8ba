// Reads the endpoints written by scripts/backends/up.sh (.backends/endpoints.env).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const BACKENDS_DIR = process.env.ORQ_BACKENDS_DIR ?? path.resolve(__dirname, "../../.backends");

let cached: Record<string, string> | undefined;

export function backendEnv(): Record<string, string> {
  if (cached) return cached;
  const out: Record<string, string> = {};
  const file = path.join(BACKENDS_DIR, "endpoints.env");
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) out[m[1]] = m[2];
    }
  }
  // Explicit environment variables win (a developer pointing the suite elsewhere).
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith("ORQ_") && v) out[k] = v;
  cached = out;
  return out;
}

/** The values a backend needs, or the one-line reason it cannot be tested. */
export function requireEndpoints(backend: string, keys: string[]): { values: Record<string, string> } | { reason: string } {
  const env = backendEnv();
  const missing = keys.filter((k) => !env[k]);
  if (missing.length) return { reason: `${backend} backend not running (no ${missing.join(", ")}); start it with npm run backends:up` };
  return { values: Object.fromEntries(keys.map((k) => [k, env[k]])) };
}
