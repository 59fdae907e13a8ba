import type { Locator, Page } from "@playwright/test";
import { expect, expectAccessible, login, logout, test, unique } from "./fixtures";

// The machine page's Schedules and Availability panels, and the project's time zone they use
// (issue #15, scheduled operations), against the demo data.

async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

async function setTimeZone(page: Page, project: string, zone: string) {
  await page.goto("/admin/projects");
  await page.getByRole("link", { name: project, exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/projects\/[0-9a-f-]{36}$/);
  const projectUrl = page.url();
  await page.getByRole("link", { name: "Edit settings" }).click();
  await hydrated(page.getByRole("button", { name: "Save", exact: true }));
  await page.getByLabel("Time zone").selectOption(zone);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(projectUrl);
}

test("a member schedules operations on a machine in the project's time zone, pauses and deletes them, and sets its availability", async ({ page }) => {
  test.slow(); // three sign-ins and a provision
  const name = unique("sched");
  await login(page, "admin");
  await setTimeZone(page, "Web Platform", "America/Sao_Paulo");
  await logout(page);

  // Small SSD is below Web Platform's auto-approval limit: no approver needed.
  await login(page, "alice");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await page.getByLabel("OS template").selectOption({ label: "Ubuntu 24.04 LTS" });
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Machine name").fill(name);
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests/);
  await page.goto("/machines");
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page).toHaveURL(/\/machines\/[0-9a-f-]{36}$/);
  await expect(page.locator("#machine-state")).toHaveText(/Running/, { timeout: 45_000 });

  await expect(page.getByText("Times are in the project's time zone (America/Sao_Paulo).")).toBeVisible();
  await expect(page.getByText("No schedule acts on this machine.")).toBeVisible();
  const form = page.getByRole("form", { name: "New schedule" });
  const add = form.getByRole("button", { name: "Add schedule" });
  await hydrated(add);

  // "Stop at 20:00 on weekdays", named by the suggestion.
  await form.getByLabel("Action").selectOption({ label: "Stop" });
  await form.getByLabel("Days").selectOption({ label: "Weekdays (Monday to Friday)" });
  await form.getByLabel("Time").fill("20:00");
  await expect(form.getByText("0 20 * * 1-5")).toBeVisible();
  await add.click();
  await expect(page.getByText("Schedule Stop: Weekdays at 20:00 added")).toBeVisible();
  const stop = page.getByRole("row").filter({ hasText: "Stop: Weekdays at 20:00" });
  await expect(stop).toContainText("0 20 * * 1-5");
  await expect(stop.getByRole("cell").nth(3)).not.toHaveText("–");

  // A nightly snapshot keeping the newest 3, from a cron expression.
  await form.getByLabel("Action").selectOption({ label: "Take snapshot" });
  await form.getByLabel("Days").selectOption({ label: "Custom (cron expression)" });
  await form.getByLabel("Cron expression").fill("30 2 * * *");
  await form.getByLabel("Keep the newest").fill("3");
  await form.getByLabel("Name").fill("nightly snapshot");
  await add.click();
  await expect(page.getByText("Schedule nightly snapshot added")).toBeVisible();
  const nightly = page.getByRole("row").filter({ hasText: "nightly snapshot" });
  await expect(nightly).toContainText("Every day at 02:30");
  await expect(nightly).toContainText("keeps the newest 3");

  // A bad expression is refused next to its field.
  await form.getByLabel("Cron expression").fill("61 2 * * *");
  await add.click();
  await expect(form.getByText("Enter a valid time or cron expression")).toBeVisible();

  // Paused, then deleted.
  const toggle = stop.getByRole("switch", { name: "Schedule Stop: Weekdays at 20:00 enabled" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(stop).toContainText("Paused");
  await stop.getByRole("button", { name: "Delete schedule Stop: Weekdays at 20:00" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Delete schedule Stop: Weekdays at 20:00" }).click();
  await expect(page.getByText("Schedule Stop: Weekdays at 20:00 deleted")).toBeVisible();
  await expect(stop).toHaveCount(0);
  await expect(nightly).toHaveCount(1);

  // Availability: highly available, stopped for a cold move only on weekend nights.
  const availability = page.locator("form").filter({ has: page.getByRole("button", { name: "Save availability" }) });
  await availability.getByLabel("Highly available").check();
  await availability.getByLabel("Only within a window").check();
  await availability.getByLabel("Days").selectOption({ label: "Weekends (Saturday and Sunday)" });
  await availability.getByLabel("Time", { exact: true }).fill("02:00");
  await availability.getByLabel("Length (minutes)").fill("120");
  await availability.getByRole("button", { name: "Save availability" }).click();
  await expect(page.getByText("Availability saved")).toBeVisible();
  await expect(availability.getByRole("status")).toHaveText(/window (opens|is open now)/);

  // Checked for accessibility after a reload: stacked toasts fade the ones behind.
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: "nightly snapshot" })).toBeVisible();
  await expect(availability.getByLabel("Highly available")).toBeChecked();
  await expect(availability.getByLabel("Only within a window")).toBeChecked();
  await expect(availability.getByLabel("Time", { exact: true })).toHaveValue("02:00");
  await expectAccessible(page);
  await logout(page);

  // Back to UTC: other specs use the demo project.
  await login(page, "admin");
  await setTimeZone(page, "Web Platform", "UTC");
});
