// Single sign-on in the browser: the sign-in page's button goes to the OpenID Connect
// provider e2e/global-setup.ts started on loopback (npm oidc-provider), its own login page
// takes the password, and the portal provisions the user on the way back (authorization code
// with PKCE through Auth.js). Group mapping and the failure cases are in lib/auth/sso.int.test.ts.
import { expectAccessible, logout, expect, test } from "./fixtures";
import { OIDC_CLIENT, OIDC_ISSUER, OIDC_USER } from "./oidc";

test.skip(!!process.env.ORQ_E2E_SSO_SKIP, process.env.ORQ_E2E_SSO_SKIP ?? "");

test("a person signs in through the identity provider's login page and is provisioned", async ({ page }) => {
  test.setTimeout(120_000);
  // The portal's guard sends to /login without a return path; the sign-in page takes one.
  await page.goto("/login?callbackUrl=%2Fmachines");
  await expectAccessible(page);
  await page.getByRole("button", { name: `Sign in with ${OIDC_CLIENT.name}` }).click();

  // The provider's page, with a wrong password first.
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER.replace(/[.]/g, "\\.")}/interaction/`));
  await page.getByLabel("Username").fill(OIDC_USER.username);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toHaveText("Unknown user or wrong password.");
  await page.getByLabel("Username").fill(OIDC_USER.username);
  await page.getByLabel("Password").fill(OIDC_USER.password);
  await page.getByRole("button", { name: "Continue" }).click();

  // Back in the portal, on the page first asked for, as the new user.
  await expect(page).toHaveURL(/\/machines/);
  await expect(page.getByTestId("current-user")).toContainText(OIDC_USER.email);
  await logout(page);

  // A second sign-in reuses the account (the provider's session may skip its login page).
  await page.getByRole("button", { name: `Sign in with ${OIDC_CLIENT.name}` }).click();
  if (page.url().startsWith(OIDC_ISSUER) && (await page.getByLabel("Username").count()) > 0) {
    await page.getByLabel("Username").fill(OIDC_USER.username);
    await page.getByLabel("Password").fill(OIDC_USER.password);
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByTestId("current-user")).toContainText(OIDC_USER.email);
});
