// Playwright global setup: starts moto for the EC2 spec (e2e/moto.ts) and the OpenID Connect
// provider of the single sign-on spec (e2e/oidc.ts). The pid is kept in the
// environment for the teardown, which stops it.
import { startMoto } from "./moto";
import { startTestOidcProvider } from "../test/identity/oidc-server";
import { OIDC_CLIENT, OIDC_PORT, OIDC_REDIRECT_URIS, OIDC_USER } from "./oidc";

export default async function globalSetup() {
  // The OpenID Connect provider of e2e/sso.spec.ts runs in this process; teardown stops it.
  try {
    const idp = await startTestOidcProvider({ port: OIDC_PORT, clientId: OIDC_CLIENT.id, clientSecret: OIDC_CLIENT.secret, redirectUris: OIDC_REDIRECT_URIS, users: [OIDC_USER] });
    (globalThis as { orqE2eIdp?: { stop: () => Promise<void> } }).orqE2eIdp = idp;
  } catch (err) {
    if (process.env.CI) throw err;
    process.env.ORQ_E2E_SSO_SKIP = `the OpenID Connect provider did not start on port ${OIDC_PORT}: ${(err as Error).message}`;
  }
  const r = await startMoto();
  if ("reason" in r) {
    if (process.env.CI) throw new Error(`CI requires moto for the EC2 browser test: ${r.reason}`);
    process.env.ORQ_E2E_EC2_SKIP = r.reason;
    return;
  }
  process.env.ORQ_E2E_MOTO_PID = String(r.pid);
  for (const [k, v] of Object.entries(r.env)) process.env[k] = v;
}
