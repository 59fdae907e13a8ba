// SMTP settings from the environment (ORQ_SMTP_*). No host: no e-mail at all (notifications
// stay in the portal, invitations show their link to the administrator instead).
import { env, type Env } from "../env";

export interface SmtpSettings {
  host: string;
  port: number;
  tls: "starttls" | "tls" | "none";
  verifyCertificate: boolean;
  user?: string;
  password?: string;
  from: string;
}

export function smtpSettings(e: Env = env()): SmtpSettings | null {
  if (!e.ORQ_SMTP_HOST) return null;
  const port = e.ORQ_SMTP_PORT ?? (e.ORQ_SMTP_TLS === "tls" ? 465 : e.ORQ_SMTP_TLS === "none" ? 25 : 587);
  return {
    host: e.ORQ_SMTP_HOST,
    port,
    tls: e.ORQ_SMTP_TLS,
    verifyCertificate: e.ORQ_SMTP_TLS_VERIFY,
    user: e.ORQ_SMTP_USER || undefined,
    password: e.ORQ_SMTP_PASSWORD || undefined,
    from: e.ORQ_SMTP_FROM,
  };
}

export const mailEnabled = (e: Env = env()) => !!e.ORQ_SMTP_HOST;

/** The portal's public base URL, for links in e-mails (no trailing slash). */
export function publicUrl(e: Env = env()): string {
  return (e.ORQ_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
}
