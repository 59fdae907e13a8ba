// moto (a third-party implementation of the AWS APIs, Debian's python3-moto) for the browser
// tests that drive the EC2 driver: Playwright's global setup starts it on a free loopback port
// and seeds it (scripts/backends/moto-seed.py: VPC, subnet, security group, key pair, AMI);
// global teardown stops it by pid. The endpoint reaches the specs through process.env.
// Without moto installed (ORQ_MOTO_DIR, /opt/orquestra/moto by default) the EC2 spec skips
// with that reason, except in CI, where the setup fails.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const MOTO_DIR = process.env.ORQ_MOTO_DIR ?? "/opt/orquestra/moto";

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitForHttp(url: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return false;
}

/** Starts and seeds moto; returns its pid (or a reason it could not run here). */
export async function startMoto(): Promise<{ pid: number; env: Record<string, string> } | { reason: string }> {
  const server = path.join(MOTO_DIR, "root/usr/bin/moto_server");
  if (!fs.existsSync(server)) return { reason: `moto is not installed in ${MOTO_DIR} (sudo bash scripts/backends/install.sh)` };
  const port = await freePort();
  const child = spawn("/usr/bin/python3", [server, "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, PYTHONPATH: path.join(MOTO_DIR, "root/usr/lib/python3/dist-packages") },
    stdio: "ignore",
    detached: false,
  });
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(`${url}/moto-api/data.json`, 60_000))) {
    child.kill("SIGTERM");
    throw new Error("moto did not start within 60 s");
  }
  // Authentication stays off here: the browser tests exercise the portal, the conformance
  // suite (npm run test:drivers) exercises credentials against moto with IAM on.
  const out = execFileSync("/usr/bin/python3", [path.resolve("scripts/backends/moto-seed.py"), "--endpoint", url], { encoding: "utf8", timeout: 120_000 });
  const env: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const m = /^(ORQ_EC2_[A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return { pid: child.pid!, env };
}
