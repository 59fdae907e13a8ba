// The SMTP connection (nodemailer). TLS as configured: STARTTLS required (default), implicit
// TLS, or none (a capture server on loopback); the certificate is checked unless turned off.
import nodemailer, { type Transporter } from "nodemailer";
import type { SmtpSettings } from "./config";

export function smtpTransport(s: SmtpSettings, opts: { timeoutMs?: number } = {}): Transporter {
  const timeout = opts.timeoutMs ?? 30_000;
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.tls === "tls",
    requireTLS: s.tls === "starttls",
    ignoreTLS: s.tls === "none",
    tls: { rejectUnauthorized: s.verifyCertificate, minVersion: "TLSv1.2" },
    auth: s.user ? { user: s.user, pass: s.password ?? "" } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
}
