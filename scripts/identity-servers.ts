// The local identity and mail servers of the demo (the same ones the tests start): an OpenID
// Connect provider (npm oidc-provider) and an SMTP capture server with a web inbox (npm
// maildev), both on 127.0.0.1. Prints the portal settings that use them; Ctrl-C stops them.
//   node_modules/.bin/tsx scripts/identity-servers.ts
import { startTestOidcProvider } from "../test/identity/oidc-server";
import { startMailServer } from "../test/identity/mail-server";

const PORTAL = (process.env.ORQ_PUBLIC_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const OIDC_PORT = Number(process.env.DEMO_OIDC_PORT ?? 4455);
const SMTP_PORT = Number(process.env.DEMO_SMTP_PORT ?? 1025);
const MAIL_WEB_PORT = Number(process.env.DEMO_MAIL_WEB_PORT ?? 1080);
const PASSWORD = "orquestra-sso";

const oidc = await startTestOidcProvider({
  port: OIDC_PORT,
  clientId: "orquestra-demo",
  clientSecret: "orquestra-demo-secret",
  redirectUris: [`${PORTAL}/api/auth/callback/oidc`],
  users: [
    { username: "ada", password: PASSWORD, sub: "sso-ada", email: "ada@sso.example", emailVerified: true, name: "Ada (SSO)", groups: ["platform-engineers", "orquestra-admins"] },
    { username: "grace", password: PASSWORD, sub: "sso-grace", email: "grace@sso.example", emailVerified: true, name: "Grace (SSO)", groups: ["developers"] },
  ],
});
const mail = await startMailServer({ smtpPort: SMTP_PORT, webPort: MAIL_WEB_PORT });

console.log(`OpenID Connect provider: ${oidc.issuer} (users ada and grace, password ${PASSWORD})`);
console.log(`SMTP capture: 127.0.0.1:${mail.smtpPort}; captured messages: http://127.0.0.1:${mail.webPort}/api/email`);
console.log("\nStart the portal with:\n");
console.log(
  [
    `ORQ_PUBLIC_URL=${PORTAL}`,
    `ORQ_OIDC_ISSUER=${oidc.issuer}`,
    "ORQ_OIDC_CLIENT_ID=orquestra-demo",
    "ORQ_OIDC_CLIENT_SECRET=orquestra-demo-secret",
    "ORQ_OIDC_NAME='Demo IdP'",
    "ORQ_SMTP_HOST=127.0.0.1",
    `ORQ_SMTP_PORT=${mail.smtpPort}`,
    "ORQ_SMTP_TLS=none",
    "npm start",
  ].join(" \\\n  "),
);

const stop = async () => {
  await Promise.allSettled([oidc.stop(), mail.stop()]);
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
