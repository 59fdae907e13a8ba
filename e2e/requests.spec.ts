import type { Page } from "@playwright/test";
import { expectAccessible, login, logout, unique, expect, test } from "./fixtures";

async function requestMachine(page: Page, opts: { offering: string; project: string; template: string; name: string }) {
  await page.goto("/catalog");
  await page.getByRole("link", { name: `Request ${opts.offering}` }).click();
  await expect(page).toHaveURL(/\/catalog\/.+\/request/);
  await page.getByLabel("Project").selectOption({ label: opts.project });
  await page.getByLabel("OS template").selectOption({ label: opts.template });
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Machine name").fill(opts.name);
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests/);
}

/** The approvals page card (role=article) that holds a request for `name`. */
const approvalCard = (page: Page, name: string) => page.getByRole("article").filter({ hasText: name });
/** The row of /requests that holds `name`. */
const requestRow = (page: Page, name: string) => page.getByRole("row").filter({ hasText: name });

test("alice requests a machine, the approver approves it, alice sees it approved", async ({ page }) => {
  const name = unique("web");
  await login(page, "alice");
  await requestMachine(page, { offering: "Medium SSD", project: "Internal Tools", template: "Debian 12", name });
  await expect(requestRow(page, name)).toContainText("Pending approval");
  await logout(page);

  await login(page, "approver");
  await page.goto("/admin/approvals");
  const card = approvalCard(page, name);
  await expect(card).toContainText("Alice Martins");
  await card.getByRole("button", { name: /^Approve/ }).click();
  await expect(approvalCard(page, name)).toHaveCount(0);
  await logout(page);

  await login(page, "alice");
  await page.goto("/requests");
  await expect(requestRow(page, name)).toContainText(/Approved|Fulfilled/);
});

test("a rejection reaches the requester with its reason", async ({ page }) => {
  const name = unique("db");
  const reason = `Use the shared database cluster ${name}`;
  await login(page, "alice");
  await requestMachine(page, { offering: "Large SSD", project: "Internal Tools", template: "Rocky Linux 9", name });
  await logout(page);

  await login(page, "approver");
  await page.goto("/admin/approvals");
  await approvalCard(page, name).getByRole("button", { name: /^Reject/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Reject request" }).click();
  await expect(dialog.getByText("Give a reason for the rejection.")).toBeVisible();
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Reject request" }).click();
  await expect(approvalCard(page, name)).toHaveCount(0);
  await logout(page);

  await login(page, "alice");
  await page.goto("/requests");
  await expect(requestRow(page, name)).toContainText("Rejected");
  await expect(requestRow(page, name)).toContainText(reason);
});

test("invalid input in the request form shows field messages and submits nothing", async ({ page }) => {
  await login(page, "alice");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.getByText("Choose a project.")).toBeVisible();
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await page.getByLabel("Quantity").fill("25");
  await expect(page.getByText("Enter a whole number from 1 to 20.")).toBeVisible();
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Machine name").fill("Bad_Name!");
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.getByText("Use only lowercase letters, digits and hyphens", { exact: false }).first()).toBeVisible();
  await expect(page).toHaveURL(/\/request$/);
});

test("a project with a maximum lease: the form starts at the longest lease and refuses an empty one", async ({ page }) => {
  await login(page, "alice");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  const lease = page.getByLabel("Lease end date");
  await expect(lease).toHaveValue("");
  // The demo projects allow leases of at most 90 days.
  await page.getByLabel("Project").selectOption({ label: "Internal Tools" });
  await expect(lease).toHaveValue(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
  await expect(page.getByText("Required in this project: at most 90 days from today.", { exact: false })).toBeVisible();
  await page.getByLabel("OS template").selectOption({ label: "Debian 12" });
  await page.getByLabel("Machine name").fill(unique("lease"));
  await lease.fill("");
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.getByText("Choose a lease end date: this project allows leases of at most 90 days.")).toBeVisible();
  await expect(page).toHaveURL(/\/request$/);
});

test("the request form shows cost and quota impact live", async ({ page }) => {
  await login(page, "alice");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Medium SSD" }).click();
  await page.getByLabel("Project").selectOption({ label: "Internal Tools" });
  await page.getByLabel("Quantity").fill("3");
  await expect(page.getByText(/3 × \$32\.00 = \$96\.00/)).toBeVisible();
  await expect(page.getByRole("meter", { name: "vCPU" })).toHaveAttribute("aria-valuenow", /\d+/);
  await page.getByLabel("Quantity").fill("20");
  await expect(page.getByText(/20 × \$32\.00 = \$640\.00/)).toBeVisible();
});

test("the Portuguese interface renders the catalogue", async ({ browser }) => {
  const ctx = await browser.newContext({ locale: "pt-BR" });
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.getByLabel("E-mail").fill("bob@orquestra.local");
  await page.getByLabel("Senha").fill("orquestra");
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await page.goto("/catalog");
  await expect(page.getByRole("heading", { name: "Catálogo", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Minhas solicitações" }).first()).toBeVisible();
  // Money per locale: R$-style grouping for pt-BR uses a comma as the decimal separator.
  await expect(page.getByText(/32,00/).first()).toBeVisible();
  await ctx.close();
});

test("catalogue, request form and approvals pages have no serious accessibility violations", async ({ page }) => {
  await login(page, "alice");
  await page.goto("/catalog");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Request Medium SSD" }).click();
  await expect(page.getByLabel("Project")).toBeVisible();
  await expectAccessible(page);
  await logout(page);
  await login(page, "approver");
  await page.goto("/admin/approvals");
  await expectAccessible(page);
});

test("a template no provider of the project can run is offered as unavailable, with the reason, and cannot be chosen", async ({ page }) => {
  const name = unique("No image yet");
  await login(page, "admin");
  // A new template with no native image on any provider (the administrator has not mapped it yet).
  const created = await page.request.post("/api/v1/admin/templates", {
    data: { name, osFamily: "LINUX", osName: "Alpine", osVersion: "3.20", description: "", minDiskGb: 10 },
  });
  expect(created.status(), await created.text()).toBe(201);
  await logout(page);

  await login(page, "alice");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  const option = page.locator("#templateId option", { hasText: name });
  await expect(option).toHaveText(`${name} (unavailable: no provider of this project can run it)`);
  await expect(option).toBeDisabled();
  // The templates some provider of the project can run stay selectable.
  await expect(page.locator("#templateId option", { hasText: "Ubuntu 24.04 LTS" })).toBeEnabled();
  await expectAccessible(page);
});
