import type { Locator } from "@playwright/test";
import { expectAccessible, login, unique, expect, test } from "./fixtures";

/** Waits until React has hydrated `el`, so clicks reach the client-side handlers. */
async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

test("an API token is shown once, works against the API, and stops working once revoked", async ({ page, request }) => {
  const name = unique("ci-token");
  await login(page, "alice");
  await page.goto("/settings/tokens");
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
  await hydrated(page.getByRole("button", { name: "Create token" }));

  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Copy your new token now" });
  await expect(dialog).toContainText(`"${name}"`);
  const secretBox = dialog.getByLabel("New API token");
  await expect(secretBox).toHaveValue(/\S{20,}/);
  const secret = await secretBox.inputValue();
  await dialog.getByRole("button", { name: "I have copied it" }).click();
  await expect(dialog).toHaveCount(0);

  const row = page.getByRole("table", { name: "Your API tokens" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");
  // Shown once: neither the list nor a fresh load of the page holds the secret.
  await page.reload();
  await expect(row).toContainText("Active");
  expect(await page.content()).not.toContain(secret);
  await expectAccessible(page);

  const auth = { Authorization: `Bearer ${secret}` };
  const ok = await request.get("/api/v1/machines", { headers: auth });
  expect(ok.status()).toBe(200);
  expect(ok.headers()["content-type"]).toMatch(/application\/json/);
  const list = await ok.json();
  expect(Array.isArray(list.items)).toBe(true);
  expect(typeof list.total).toBe("number");

  // The call is recorded as the token's last use.
  await page.reload();
  await expect(row).not.toContainText("Never");

  await hydrated(row.getByRole("button", { name: `Revoke token ${name}` }));
  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke token "${name}"?` });
  await confirm.getByRole("button", { name: "Revoke token", exact: true }).click();
  await expect(confirm).toHaveCount(0);
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke token ${name}` })).toHaveCount(0);

  const refused = await request.get("/api/v1/machines", { headers: auth });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toContain("Bearer");
  const body = await refused.json();
  expect(body.error.code).toBe("UNAUTHENTICATED");
  expect(typeof body.error.message).toBe("string");
});

test("a call without a token is refused, and the OpenAPI document is published", async ({ request }) => {
  const anonymous = await request.get("/api/v1/machines");
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("UNAUTHENTICATED");

  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  expect(doc.paths["/machines"]?.get).toBeTruthy();
});
