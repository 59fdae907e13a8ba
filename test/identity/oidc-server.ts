// A real OpenID Connect provider for tests and local development (npm oidc-provider), on
// loopback only: discovery, authorization code with PKCE, ID tokens, userinfo. Its sign-in
// page is a plain HTML form with labelled fields; consent is given automatically (a company
// IdP usually pre-approves its own applications). Users and their groups live in memory and
// can be changed between sign-ins (group-to-role mapping tests).
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export interface TestOidcUser {
  username: string;
  password: string;
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  groups: string[];
}

export interface TestOidcOptions {
  port?: number;
  clientId: string;
  clientSecret: string;
  /** Where the portal receives the code: <portal>/api/auth/callback/oidc. */
  redirectUris: string[];
  users: TestOidcUser[];
}

export interface TestOidcServer {
  issuer: string;
  port: number;
  users: Map<string, TestOidcUser>;
  /** How many sign-ins this provider completed (logins accepted). */
  logins: () => number;
  stop: () => Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head><body><main>${body}</main></body></html>`;
}

function loginPage(uid: string, clientId: string, error?: string): string {
  return page(
    "Test identity provider: sign in",
    `<h1>Test identity provider</h1><p>Sign in to continue to <strong>${esc(clientId)}</strong>.</p>` +
      (error ? `<p role="alert">${esc(error)}</p>` : "") +
      `<form method="post" action="/interaction/${esc(uid)}/login">` +
      `<p><label for="username">Username</label><br><input id="username" name="username" autocomplete="username" required></p>` +
      `<p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>` +
      `<p><button type="submit">Continue</button></p></form>`,
  );
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16_384) throw new Error("form too large");
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startTestOidcProvider(opts: TestOidcOptions): Promise<TestOidcServer> {
  const users = new Map(opts.users.map((u) => [u.sub, { ...u }]));
  const byName = (username: string) => [...users.values()].find((u) => u.username === username);
  let logins = 0;

  // The issuer has to be known before the provider exists: take the port first.
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...(privateKey.export({ format: "jwk" }) as Record<string, unknown>), kid: "test-key", use: "sig", alg: "RS256" };

  const config: Configuration = {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
    scopes: ["openid", "email", "profile", "groups"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"], groups: ["groups"] },
    findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => {
      const u = users.get(sub);
      if (!u) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: u.email, email_verified: u.emailVerified, name: u.name, preferred_username: u.username, groups: [...u.groups] }),
      };
    },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    renderError: async (ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }) => {
      ctx.type = "html";
      ctx.body = page("Test identity provider: error", `<h1>Sign-in error</h1><p role="alert">${esc(out.error_description ?? out.error ?? "error")}</p>`);
    },
  };
  const provider = new Provider(issuer, config);
  // Quiet in tests: errors reach the client as OAuth errors anyway.
  provider.on("server_error", () => {});
  const oidc = provider.callback();

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? "/", issuer);
      const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
      if (!m) return oidc(req, res);
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === "login") {
          if (!m[2] || req.method !== "POST") {
            res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
            return res.end(loginPage(details.uid, String(details.params.client_id)));
          }
          const form = await readForm(req);
          const u = byName(form.get("username") ?? "");
          if (!u || u.password !== form.get("password")) {
            res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
            return res.end(loginPage(details.uid, String(details.params.client_id), "Unknown user or wrong password."));
          }
          logins++;
          return provider.interactionFinished(req, res, { login: { accountId: u.sub } }, { mergeWithLastSubmission: false });
        }
        // Consent: granted for what the client asked.
        const { prompt, params, session } = details;
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
        const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(" "));
        if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
        const grantId = await grant!.save();
        return provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
      } catch (err) {
        res.writeHead(400, { "Content-Type": "text/html; charset=utf-8" });
        res.end(page("Test identity provider: error", `<h1>Sign-in error</h1><p role="alert">${esc((err as Error).message)}</p>`));
      }
    })();
  });

  return {
    issuer,
    port,
    users,
    logins: () => logins,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
