import type { Locator } from "@playwright/test";
import { expectAccessible, login, unique, expect, test } from "./fixtures";

async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}


test("scaling group: created by an approver, grows under the simulator's load, chart and decision log, edit, delete", async ({ page }) => {
  // Growth waits for the worker's sampling rounds (every minute).
  test.setTimeout(300_000);
  const name = unique("web").replace(/[^a-z0-9-]/g, "");

  // The demo simulators report a constant 75 % CPU (prisma/demo-data.ts).
  await login(page, "approver");
  await page.goto("/scaling");
  await expect(page.getByRole("heading", { name: "Scaling groups" })).toBeVisible();
  const create = page.getByRole("button", { name: "Create group" });
  await hydrated(create);
  // Bad input is refused on its field, in words.
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await page.getByLabel("Name").fill("Not A Name");
  const small = await page.getByLabel("Offering").locator("option", { hasText: "Small SSD" }).first().getAttribute("value");
  await page.getByLabel("Offering").selectOption(small!);
  await page.getByLabel("Template").selectOption({ label: "Ubuntu 24.04 LTS" });
  await page.getByLabel("Minimum").fill("3");
  await page.getByLabel("Maximum").fill("2");
  await create.click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Minimum")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);

  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Minimum").fill("1");
  await page.getByLabel("Maximum").fill("3");
  await page.getByLabel("Start with").fill("1");
  await page.getByLabel("Target average CPU (%)").fill("60");
  await page.getByLabel("Scale-out cooldown (s)").fill("0");
  await create.click();
  await expect(page).toHaveURL(/\/scaling\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: `Scaling group ${name}` })).toBeVisible();

  // The first machine at once, then one more per sampling round while CPU (90 %) is above 60 %.
  const members = page.getByTestId("members");
  await expect(members.getByRole("link", { name: `${name}-1` })).toBeVisible({ timeout: 30_000 });
  await expect(members.getByRole("link", { name: `${name}-2` })).toBeVisible({ timeout: 150_000 });
  const log = page.getByTestId("decisions");
  await expect(log.getByText("Scaled out").first()).toBeVisible();
  await expect(log.getByText(/average CPU 75 % above the target 60 %/).first()).toBeVisible();
  await expect(page.getByTestId("scaling-chart").locator(".recharts-line")).toHaveCount(3);
  await expect(page.getByTestId("latest-reason")).toContainText("Last evaluation at");
  await page.screenshot({ path: "/tmp/autoscale-group.png", fullPage: true });
  await expectAccessible(page);

  // The list shows it.
  await page.goto("/scaling");
  await expect(page.getByRole("link", { name })).toBeVisible();
  await page.getByRole("link", { name }).click();

  // Edit: the maximum down to 1; the group shrinks to it.
  const save = page.getByRole("button", { name: "Save", exact: true });
  await hydrated(save);
  await page.getByLabel("Maximum").fill("0");
  await save.click();
  await expect(page.getByLabel("Maximum")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Maximum").fill("1");
  await save.click();
  await expect(page.getByText("Scaling group saved")).toBeVisible();
  await expect(page.getByTestId("group-size")).toContainText(/\/ 1$/, { timeout: 60_000 });
  await expect(log.getByText("Scaled in").first()).toBeVisible({ timeout: 60_000 });

  // Delete: the name must be typed; the machines go with the group.
  await page.getByRole("button", { name: "Delete group" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("button", { name: "Delete group and machines" })).toBeDisabled();
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Delete group and machines" }).click();
  await expect(page).toHaveURL(/\/scaling$/);
  await expect(page.getByRole("link", { name })).toHaveCount(0);
});
