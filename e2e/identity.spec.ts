import type { Locator } from "@playwright/test";
import { expectAccessible, login, logout, unique, expect, test, USERS } from "./fixtures";

/** Waits until React has hydrated `el`, so clicks reach the client-side handlers. */
async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

test("an administrator invites a person, who sets a password through the one-time link and signs in", async ({ page }) => {
  // Two sign-ins and three pages: more than the default minute on a busy machine.
  test.setTimeout(120_000);
  const email = `${unique("invitee")}@example.com`;
  const password = "a long invitation password";
  await login(page, "admin");
  await page.goto("/admin/users");
  const invite = page.getByRole("button", { name: "Invite", exact: true });
  await hydrated(invite);
  await page.locator("#invite-email").fill(email);
  await page.locator("#invite-name").fill("Ada Invitee");
  await invite.click();
  // No SMTP in this server: the link is shown to the administrator, once.
  const link = page.getByLabel("Invitation link", { exact: true });
  await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const url = new URL(await link.inputValue());
  const row = page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Invited");
  // Shown once: a fresh load of the page does not hold the link.
  await page.reload();
  await expect(row).toContainText("Invited");
  expect(await page.content()).not.toContain(url.pathname);
  await expectAccessible(page);
  await logout(page);

  await page.goto(url.pathname);
  await expect(page.getByRole("heading", { name: "Choose your password" })).toBeVisible();
  await expect(page.getByText("Welcome, Ada Invitee.")).toBeVisible();
  await expectAccessible(page);
  const set = page.getByRole("button", { name: "Set password" });
  await hydrated(set);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill("something else entirely");
  await set.click();
  await expect(page.getByText("The two passwords differ.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await set.click();
  await expect(page.getByText("Your password is set.")).toBeVisible();

  // The link worked once.
  await page.goto(url.pathname);
  await expect(page.getByText("This invitation link no longer works")).toBeVisible();

  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard/);
});

test("a group grants its members a project role; members are added and removed by e-mail", async ({ page }) => {
  // A whole group's life in one test: create, grant, add, refuse, list, remove, delete.
  test.setTimeout(120_000);
  const name = unique("Platform");
  await login(page, "admin");
  await page.goto("/admin/groups");
  await expect(page.getByRole("heading", { name: "Groups", level: 1 })).toBeVisible();
  const create = page.getByRole("button", { name: "Create group" });
  await hydrated(create);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("textbox", { name: "IdP group", exact: true }).fill(`${name}-idp`);
  await create.click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();

  const grant = page.getByRole("button", { name: "Grant role" });
  await hydrated(grant);
  const projectSelect = page.getByLabel("Project", { exact: true });
  const projectName = (await projectSelect.locator("option").nth(1).textContent())!.trim();
  await projectSelect.selectOption({ index: 1 });
  await page.getByLabel("Role", { exact: true }).selectOption("APPROVER");
  await grant.click();
  const roles = page.getByRole("table", { name: "Project roles" });
  await expect(roles.getByRole("row").filter({ hasText: projectName })).toContainText("Approver");

  await page.getByLabel("E-mail", { exact: true }).fill(USERS.bob);
  await page.getByRole("button", { name: "Add member" }).click();
  const members = page.getByRole("table", { name: "Members" });
  await expect(members.getByRole("row").filter({ hasText: USERS.bob })).toContainText("An administrator");
  await page.getByLabel("E-mail", { exact: true }).fill("nobody@example.com");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByText("No user has this e-mail.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.goto("/admin/groups");
  const row = page.getByRole("table", { name: "Groups" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(`${projectName}: Approver`);
  await expect(row).toContainText(`${name}-idp`);
  await expectAccessible(page);

  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  const remove = page.getByRole("button", { name: `Remove ${USERS.bob}` });
  await hydrated(remove);
  await remove.click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText("No members", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: `Delete group ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/admin\/groups$/);
  await expect(page.getByRole("table", { name: "Groups" }).getByRole("row").filter({ hasText: name })).toHaveCount(0);
});
