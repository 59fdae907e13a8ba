// A real SMTP capture server for tests and local development (npm maildev), on loopback:
// it accepts every message over SMTP and lists them through its REST API (/api/email).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MailDev } from "maildev";
import { freePort } from "../../lib/db/embedded";

export interface CapturedEmail {
  id: string;
  subject: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  text: string;
  html: string;
  headers: Record<string, string | string[]>;
  date: string;
}

export interface MailServer {
  smtpPort: number;
  webPort: number;
  /** The REST API base, e.g. http://127.0.0.1:1080/api */
  api: string;
  list: () => Promise<CapturedEmail[]>;
  /** Messages sent to `address` (case-insensitive). */
  inbox: (address: string) => Promise<CapturedEmail[]>;
  clear: () => Promise<void>;
  stop: () => Promise<void>;
}

export async function startMailServer(opts: { smtpPort?: number; webPort?: number } = {}): Promise<MailServer> {
  const smtpPort = opts.smtpPort ?? (await freePort());
  const webPort = opts.webPort ?? (await freePort());
  // Its own folder for the captured messages (maildev's default is one shared /tmp/maildev).
  const mailDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "orq-maildev-"));
  const maildev = new MailDev({ smtp: smtpPort, ip: "127.0.0.1", web: webPort, webIp: "127.0.0.1", silent: true, mcp: false, mailDirectory });
  await maildev.start();
  const api = `http://127.0.0.1:${webPort}/api`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${api}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const list = async () => {
    const res = await fetch(`${api}/email`);
    if (!res.ok) throw new Error(`maildev answered ${res.status}`);
    return (await res.json()) as CapturedEmail[];
  };
  return {
    smtpPort,
    webPort,
    api,
    list,
    inbox: async (address) => (await list()).filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase())),
    clear: async () => {
      await fetch(`${api}/email/all`, { method: "DELETE" });
    },
    stop: async () => {
      await maildev.stop();
      fs.rmSync(mailDirectory, { recursive: true, force: true });
    },
  };
}
