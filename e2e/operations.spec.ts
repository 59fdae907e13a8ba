import { expect, expectAccessible, login, test } from "./fixtures";

// Maintenance calendar and the Backups page (issue #15), against the demo data.

test("an administrator schedules a maintenance window and sees it on the calendar", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/admin/maintenance");
  await expect(page.getByRole("heading", { name: "Maintenance", level: 1 })).toBeVisible();
  const submit = page.getByRole("button", { name: "Schedule window" });
  await expect.poll(() => submit.evaluate((n) => Object.keys(n).some((k) => k.startsWith("__reactProps")))).toBe(true);
  // Tomorrow 22:00 to 23:30, local time of the browser.
  const d = new Date(Date.now() + 86_400_000);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  await page.getByLabel("Host or provider").selectOption({ label: "Simulator (local) / sim-host-06" });
  await page.getByLabel("Starts").fill(`${day}T22:00`);
  await page.getByLabel("Ends").fill(`${day}T23:30`);
  await page.getByLabel("Reason").fill("BIOS update");
  await submit.click();
  await expect(page.getByText("Maintenance window scheduled")).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "BIOS update" });
  await expect(row).toContainText("sim-host-06");
  await expect(row).toContainText("Scheduled");
  // On the calendar (when tomorrow is in this month; else on the next month's page).
  const month = day.slice(0, 7);
  if (month !== new Date().toISOString().slice(0, 7)) await page.goto(`/admin/maintenance?month=${month}`);
  const cell = page.locator(`td[data-day="${day}"]`);
  await expect(cell).toContainText("sim-host-06");
  await expectAccessible(page);
  // Cancelled again: other specs place machines on the demo hosts.
  await page.getByRole("row").filter({ hasText: "BIOS update" }).getByRole("button", { name: /Cancel the window/ }).click();
  await expect(page.getByText("Window cancelled")).toBeVisible();
});

test("the Backups page lists restore points and offers policies", async ({ page }) => {
  await login(page, "alice");
  await page.goto("/backups");
  await expect(page.getByRole("heading", { name: "Backups", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Restore points" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Backup policies" })).toBeVisible();
  await expect(page.getByText("No backup yet")).toBeVisible();
  await expectAccessible(page);
});
