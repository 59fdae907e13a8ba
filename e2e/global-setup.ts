// Playwright global setup: starts moto for the EC2 spec (e2e/moto.ts). The pid is kept in the
// environment for the teardown, which stops it.
import { startMoto } from "./moto";

export default async function globalSetup() {
  const r = await startMoto();
  if ("reason" in r) {
    if (process.env.CI) throw new Error(`CI requires moto for the EC2 browser test: ${r.reason}`);
    process.env.ORQ_E2E_EC2_SKIP = r.reason;
    return;
  }
  process.env.ORQ_E2E_MOTO_PID = String(r.pid);
  for (const [k, v] of Object.entries(r.env)) process.env[k] = v;
}
