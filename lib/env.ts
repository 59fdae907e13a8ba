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
  // The portal's address as users reach it: links in e-mails and invitations.
  ORQ_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),

  // Single sign-on (OpenID Connect, authorization code + PKCE). Set the issuer, client id and
  // secret to turn it on (lib/auth/oidc-config.ts).
  ORQ_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  ORQ_OIDC_CLIENT_ID: z.string().min(1).optional(),
  ORQ_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  ORQ_OIDC_SCOPES: z.string().default("openid email profile"),
  // The sign-in button says "Sign in with <name>".
  ORQ_OIDC_NAME: z.string().min(1).max(60).default("single sign-on"),
  ORQ_OIDC_CLAIM_EMAIL: z.string().min(1).default("email"),
  ORQ_OIDC_CLAIM_NAME: z.string().min(1).default("name"),
  // A list of group names (or one name); dots walk into objects ("realm_access.roles").
  ORQ_OIDC_CLAIM_GROUPS: z.string().min(1).default("groups"),
  // Read the claims from the userinfo endpoint too (merged over the ID token's).
  ORQ_OIDC_USERINFO: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  // Whether a first SSO sign-in may take over an existing local account with the same e-mail:
  // only when the IdP says the e-mail is verified (default), always, or never.
  ORQ_OIDC_LINK_BY_EMAIL: z.enum(["verified", "always", "never"]).default("verified"),
  // An http:// issuer is accepted on loopback only, unless this is set (labs).
  ORQ_OIDC_ALLOW_HTTP: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  // Password sign-in: on, off (SSO only), or admins (only local administrators: break-glass).
  ORQ_LOCAL_LOGIN: z.enum(["on", "off", "admins"]).default("on"),

  // E-mail (SMTP). Unset host = no e-mail (notifications stay in the portal).
  ORQ_SMTP_HOST: z.string().min(1).optional(),
  ORQ_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // starttls (upgrade required), tls (implicit TLS, usually port 465) or none (plain text: test servers only).
  ORQ_SMTP_TLS: z.enum(["starttls", "tls", "none"]).default("starttls"),
  // Check the server's certificate (turn off only for a lab server with a self-signed one).
  ORQ_SMTP_TLS_VERIFY: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  ORQ_SMTP_USER: z.string().optional(),
  ORQ_SMTP_PASSWORD: z.string().optional(),
  ORQ_SMTP_FROM: z.string().min(3).default("Orquestra <orquestra@localhost>"),
  ORQ_EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  ORQ_EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(0).default(30_000),
  // Hour of the day (worker's clock, 0-23) the daily digest goes out.
  ORQ_EMAIL_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),

  // Webhooks: per-attempt timeout, attempts and backoff (doubling from the base, capped).
  ORQ_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  ORQ_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  ORQ_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(0).default(30_000),
  ORQ_WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(0).default(3_600_000),
  // Events, webhook deliveries and sent e-mails are kept this long.
  ORQ_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Forgets the parsed environment (tests that change process.env). */
export function resetEnvCache(): void {
  cached = undefined;
}

export function env(): Env {
  if (!cached) {
    // An empty variable means "not set" (VAR= in a unit file or a compose file).
    const parsed = schema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`invalid environment: ${msg}`);
    }
    cached = parsed.data;
  }
  return cached;
}
