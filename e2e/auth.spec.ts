import { expectAccessible, login, logout, PASSWORD, USERS, expect, test } from "./fixtures";

test("wrong password shows an error; right password signs in; sign out works", async ({ page }) => {
  await page.goto("/catalog");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("E-mail").fill(USERS.bob);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong e-mail or password" })).toBeVisible();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByTestId("current-user")).toContainText(USERS.bob);
  await logout(page);
  await page.goto("/requests");
  await expect(page).toHaveURL(/\/login/);
});

test("the login page is accessible", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page);
});

test("a member cannot open administration pages", async ({ page }) => {
  await login(page, "alice");
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Approvals" })).toHaveCount(0);
  for (const path of ["/admin/approvals", "/admin/offerings", "/admin/templates", "/admin/projects", "/admin/audit"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  }
});

test("the language follows the browser and can be switched", async ({ browser }) => {
  const ctx = await browser.newContext({ locale: "pt-BR" });
  const page = await ctx.newPage();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Entre no seu portal de nuvem" })).toBeVisible();
  await page.getByLabel("Idioma").selectOption("en");
  await expect(page.getByRole("heading", { name: "Sign in to your cloud portal" })).toBeVisible();
  await ctx.close();
});
