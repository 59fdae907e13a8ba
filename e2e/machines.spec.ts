import type { Page } from "@playwright/test";
import { login, logout, unique, expect, test } from "./fixtures";

async function requestMachine(page: Page, opts: { offering: string; project: string; name: string }) {
  await page.goto("/catalog");
  await page.getByRole("link", { name: `Request ${opts.offering}` }).click();
  await page.getByLabel("Project").selectOption({ label: opts.project });
  await page.getByLabel("OS template").selectOption({ label: "Ubuntu 24.04 LTS" });
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Machine name").fill(opts.name);
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests/);
}

async function openMachine(page: Page, name: string) {
  await page.goto("/machines");
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page).toHaveURL(/\/machines\/[0-9a-f-]{36}$/);
}

const state = (page: Page) => page.locator("#machine-state");

test("a machine is born, stopped, started and deleted, its status updating without reloads", async ({ page }) => {
  const name = unique("life");
  await login(page, "alice");
  await requestMachine(page, { offering: "Medium SSD", project: "Internal Tools", name });
  await logout(page);

  await login(page, "approver");
  await page.goto("/admin/approvals");
  await page.getByRole("article").filter({ hasText: name }).getByRole("button", { name: /^Approve/ }).click();
  await expect(page.getByRole("article").filter({ hasText: name })).toHaveCount(0);
  await logout(page);

  await login(page, "alice");
  await openMachine(page, name);
  // No page.reload() from here on: the page polls for its status.
  await expect(state(page)).toHaveText(/Running/, { timeout: 45_000 });

  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(state(page)).toHaveText(/Stopped/, { timeout: 30_000 });

  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(state(page)).toHaveText(/Running/, { timeout: 30_000 });

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(`Type ${name} to confirm`).fill(`${name}-typo`);
  await dialog.getByRole("button", { name: "Delete machine" }).click();
  await expect(dialog.getByText("Type the machine's name exactly.")).toBeVisible();
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await dialog.getByRole("button", { name: "Delete machine" }).click();
  await expect(state(page)).toHaveText(/Deleted/, { timeout: 30_000 });
});

test("an injected permanent failure shows its reason on the machine page", async ({ page }) => {
  const reason = `Datastore offline ${unique("e2e")}`;
  await login(page, "admin");
  await page.goto("/admin/simulator");
  await page.getByLabel("Driver call").first().selectOption("provision");
  await page.getByLabel("Fault").first().selectOption("PERMANENT");
  await page.getByLabel("Error message").first().fill(reason);
  await page.getByLabel("Calls affected").first().fill("1");
  await page.getByRole("button", { name: "Inject fault" }).first().click();
  await expect(page.getByRole("cell", { name: reason })).toBeVisible();
  await logout(page);

  // Web Platform approves requests below $20/month automatically.
  const name = unique("doomed");
  await login(page, "alice");
  await requestMachine(page, { offering: "Small SSD", project: "Web Platform", name });
  await openMachine(page, name);
  await expect(state(page)).toHaveText(/Failed/, { timeout: 45_000 });
  await expect(page.getByTestId("failure-reason")).toContainText(reason);
});
