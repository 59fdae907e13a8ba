// Issue 16 on the machine page: the resize dialog (offerings smallest first with monthly price
// and difference, the current one marked, a disk-tier change refused and said why), Retry of an
// operation that failed through an injected simulator fault, rename, tags and transfer.
import type { Page } from "@playwright/test";
import { expectAccessible, login, logout, unique, expect, test } from "./fixtures";

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

const state = (page: Page) => page.locator("#machine-state");

test("resize dialog, retry of a failed stop, rename, tags and transfer", async ({ page }) => {
  test.setTimeout(240_000);
  const name = unique("det");
  // Web Platform approves requests below $20/month automatically.
  await login(page, "alice");
  await requestMachine(page, { offering: "Small SSD", project: "Web Platform", name });
  await page.goto("/machines");
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page).toHaveURL(/\/machines\/[0-9a-f-]{36}$/);
  const url = page.url();
  await expect(state(page)).toHaveText(/Running/, { timeout: 60_000 });
  await expect(page).toHaveTitle(new RegExp(`^${name} · Orquestra$`));
  const providerText = await page.locator("dt", { hasText: /^Provider$/ }).locator("xpath=following-sibling::dd").innerText();
  test.skip(!providerText.includes("(Simulator)"), `placed on ${providerText}: the fault injection below needs a simulator`);
  const provider = providerText.replace(/ \(Simulator\)$/, "");

  // Resize: smallest first, the current one marked, HDD refused on this provider, prices shown.
  await page.getByRole("button", { name: "Resize", exact: true }).click();
  const dialog = page.getByRole("dialog");
  const options = dialog.getByTestId("resize-options").getByRole("listitem");
  const names = await options.evaluateAll((lis) => lis.map((li) => li.querySelector("span.font-medium")?.textContent ?? ""));
  const expected = ["Small SSD", "Small HDD", "Medium SSD", "Medium HDD", "Storage 4x1T", "Large SSD"];
  expect(names.filter((n) => expected.includes(n))).toEqual(expected);
  const current = options.filter({ hasText: "Small SSD" });
  await expect(current).toContainText("current");
  await expect(current.getByRole("radio")).toBeDisabled();
  const hdd = options.filter({ hasText: "Small HDD" });
  await expect(hdd).toContainText("another disk tier: this provider cannot move disks");
  await expect(hdd.getByRole("radio")).toBeDisabled();
  await expect(dialog.getByTestId("resize-tier-note")).toContainText("keeps its SSD disk");
  const medium = options.filter({ hasText: "Medium SSD" });
  await expect(medium).toContainText(/\$32\.00\/month/);
  await expect(medium).toContainText(/\+\$\d+\.\d\d/);
  await expect(medium.getByRole("radio")).toBeEnabled();
  // Submitting without a choice shows an error; choosing clears it.
  await dialog.getByRole("button", { name: "Resize", exact: true }).click();
  await expect(dialog.getByRole("alert")).toBeVisible();
  await medium.getByRole("radio").check();
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await logout(page);

  // The next stop on this provider fails for good.
  const reason = `Power controller offline ${unique("e2e")}`;
  await login(page, "admin");
  await page.goto("/admin/simulator");
  const card = page.locator('[aria-labelledby^="sim-"]').filter({ has: page.getByRole("heading", { name: provider, exact: true }) });
  await card.getByLabel("Driver call").selectOption("stop");
  await card.getByLabel("Fault").selectOption("PERMANENT");
  await card.getByLabel("Error message").fill(reason);
  await card.getByLabel("Calls affected").fill("1");
  await card.getByRole("button", { name: "Inject fault" }).click();
  await expect(page.getByRole("cell", { name: reason })).toBeVisible();
  await logout(page);

  await login(page, "alice");
  await page.goto(url);
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  const failure = page.getByTestId("failure-reason");
  await expect(failure).toContainText(reason, { timeout: 45_000 });
  await expect(state(page)).toHaveText(/Running/);
  await failure.getByRole("button", { name: "Retry" }).click();
  await expect(state(page)).toHaveText(/Stopped/, { timeout: 45_000 });
  await expect(page.getByText("retry of an earlier failure")).toBeVisible();
  await expect(page.getByTestId("failure-reason")).toHaveCount(0);

  // Rename: a bad name is refused, a good one reaches the heading and the title.
  const renamed = `${name}-x`;
  // The rename field (the schedules card has a "Name" field too).
  const nameField = page.locator("#machine-rename");
  await nameField.fill("Bad_Name!");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.locator("#machine-rename-error")).toBeVisible();
  await nameField.fill(renamed);
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(renamed);

  // Tags.
  const tags = page.locator("#machine-tags");
  await tags.fill("env=e2e\nteam=web");
  await page.getByRole("button", { name: "Save tags" }).click();
  await expect(page.getByText("Tags saved.")).toBeVisible();
  await page.reload();
  await expect(page.locator("#machine-tags")).toHaveValue("env=e2e\nteam=web");

  // Transfer to the project's approver: alice keeps access as a member but no longer owns it.
  await page.getByLabel("Transfer to").selectOption({ label: "Paulo Approver (approver@orquestra.local)" });
  await page.getByRole("button", { name: "Transfer", exact: true }).click();
  await expect(page.locator("dt", { hasText: /^Owner$/ }).locator("xpath=following-sibling::dd")).toContainText("Paulo Approver");
  await expect(page.getByLabel("Transfer to")).toHaveCount(0);
  await page.screenshot({ path: "/tmp/ops-machine-details.png", fullPage: true });
  await expectAccessible(page);
});
