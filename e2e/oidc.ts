// The OpenID Connect provider of the browser sign-in test (npm oidc-provider, the same test
// server lib/auth/sso.int.test.ts uses), on 127.0.0.1 inside the Playwright runner. Its port
// and client are fixed here because the web server's environment (playwright.config.ts) is
// built before global setup runs. Constants only: playwright.config.ts imports this file.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? E2E_PORT + 1300);
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
export const OIDC_CLIENT = { id: "orquestra-e2e", secret: "orquestra-e2e-secret", name: "Test IdP" };
export const OIDC_PASSWORD = "orquestra-sso";
export const OIDC_USER = { username: "lin", password: OIDC_PASSWORD, sub: "sso-e2e-lin", email: "lin@sso.example", emailVerified: true, name: "Lin Single-Sign-On", groups: ["e2e-developers"] };

/** The portal's environment for single sign-on against this provider. */
export const oidcPortalEnv = {
  // The address the IdP redirects back to (Auth.js would otherwise see the bind address).
  ORQ_PUBLIC_URL: `http://localhost:${E2E_PORT}`,
  ORQ_OIDC_ISSUER: OIDC_ISSUER,
  ORQ_OIDC_CLIENT_ID: OIDC_CLIENT.id,
  ORQ_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
  ORQ_OIDC_NAME: OIDC_CLIENT.name,
};

/** Where the provider sends the browser back: the portal under both loopback names. */
export const OIDC_REDIRECT_URIS = [`http://localhost:${E2E_PORT}/api/auth/callback/oidc`, `http://127.0.0.1:${E2E_PORT}/api/auth/callback/oidc`];
