// The one place environment variables are read and validated.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Required by lib/db/client.ts when a connection is made; npm start sets it for the embedded database.
  DATABASE_URL: z.string().optional(),
  AUTH_SECRET: z.string().min(16).optional(),
  // 32-byte key (base64 or hex) for provider credentials; the embedded default generates one.
  ORQ_ENCRYPTION_KEY: z.string().optional(),
  ORQ_CURRENCY: z.string().length(3).default("USD"),
  // Failed sign-ins before an account is locked, and for how long.
  ORQ_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  ORQ_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  // The workers' heartbeat period: the health check counts a worker as live for three of them.
  ORQ_WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5000),
  // Failed sign-ins from one client address (any accounts) per ORQ_LOGIN_LOCK_MINUTES.
  ORQ_LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  // Reverse proxies in front of the portal that append to X-Forwarded-For (0: none).
  ORQ_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // API calls per token (or per signed-in user for cookie calls) per window.
  ORQ_API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  ORQ_API_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  // Absolute lifetime of a browser session.
  ORQ_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  ORQ_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`invalid environment: ${msg}`);
    }
    cached = parsed.data;
  }
  return cached;
}
