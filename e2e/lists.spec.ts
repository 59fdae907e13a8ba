import type { Page } from "@playwright/test";
import { expectAccessible, login, unique, expect, test } from "./fixtures";

/** Machines in Web Platform, one request each (a single Small SSD is approved there automatically). */
async function requestMachines(page: Page, prefix: string, count = 3) {
  for (let i = 1; i <= count; i++) {
    await page.goto("/catalog");
    await page.getByRole("link", { name: "Request Small SSD" }).click();
    await page.getByLabel("Project").selectOption({ label: "Web Platform" });
    await page.getByLabel("OS template").selectOption({ label: "Ubuntu 24.04 LTS" });
    await page.getByLabel("Quantity").fill("1");
    await page.getByLabel("Machine name").fill(`${prefix}-${i}`);
    await page.getByRole("button", { name: "Submit request" }).click();
    await expect(page).toHaveURL(/\/requests/);
  }
}

const rows = (page: Page, prefix: string) => page.locator(`tr[data-machine^="${prefix}"]`);

test("machines: sort by a header, search without a button, bulk stop with per-machine results", async ({ page }) => {
  test.slow();
  const prefix = unique("bulk");
  await login(page, "alice");
  await requestMachines(page, prefix);

  await page.goto("/machines");
  // Search applies as one types (debounced) and is kept in the URL.
  await page.getByLabel("Name or IP address").fill(prefix);
  await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
  await expect(rows(page, prefix)).toHaveCount(3);
  // The list polls: all three become Running without a reload.
  for (let i = 0; i < 3; i++) await expect(rows(page, prefix).nth(i)).toContainText("Running", { timeout: 60_000 });

  // Sorting by name: aria-sort says so, the filter stays, the names come in order.
  const nameHeader = page.getByRole("columnheader", { name: /Name/ });
  await expect(nameHeader).toHaveAttribute("aria-sort", "none");
  await nameHeader.getByRole("link").click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
  await expect(page.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "ascending");
  const asc = await rows(page, prefix).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-machine")));
  expect(asc).toEqual([...asc].sort());
  await page.getByRole("columnheader", { name: /Name/ }).getByRole("link").click();
  await expect(page.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "descending");
  await expect.poll(() => rows(page, prefix).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-machine")))).toEqual([...asc].reverse());
  await expectAccessible(page);

  // Select two, stop them: both queued.
  const first = asc[0]!;
  const second = asc[1]!;
  await page.getByLabel(`Select ${first}`).check();
  await page.getByLabel(`Select ${second}`).check();
  const bar = page.getByRole("region", { name: "Actions for the selected machines" });
  await expect(bar).toContainText("2 machines selected");
  await bar.getByRole("button", { name: "Stop" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop 2 machines" }).click();
  await expect(page.getByText("Stop: 2 machines queued.")).toBeVisible();
  await expect(page.locator(`tr[data-machine="${first}"]`)).toContainText(/Stopping|Stopped/, { timeout: 30_000 });
  await expect(page.locator(`tr[data-machine="${second}"]`)).toContainText(/Stopping|Stopped/);

  // Stopping all three: the one still running is queued, the two already stopped are refused with a reason.
  await expect(page.locator(`tr[data-machine="${first}"]`)).toContainText("Stopped", { timeout: 30_000 });
  await expect(page.locator(`tr[data-machine="${second}"]`)).toContainText("Stopped", { timeout: 30_000 });
  await page.getByLabel("Select every machine on this page").check();
  await bar.getByRole("button", { name: "Stop" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop 3 machines" }).click();
  await expect(page.getByText("Stop: 1 queued, 2 refused.")).toBeVisible();
  await expect(page.getByText(new RegExp(`${first}: Stop is not possible while the machine is STOPPED`))).toBeVisible();

  // The CSV export holds the filtered rows.
  const csv = await (await page.request.get(`/api/machines/export?q=${prefix}&sort=name`)).text();
  expect(csv.trim().split("\r\n")).toHaveLength(4);
  expect(csv).toContain(first);
});

test("machines are cards on a 390 px phone, with state, IP and price", async ({ page }) => {
  const prefix = unique("phone");
  await login(page, "alice");
  await requestMachines(page, prefix, 1);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/machines?q=${prefix}`);
  const card = rows(page, prefix).first();
  await expect(card).toBeVisible();
  // Secondary cells (offering, host, lease) are left out of the card; price, state and IP stay.
  await expect(card.getByText("Small SSD")).toBeHidden();
  await expect(card).toContainText("Running", { timeout: 60_000 });
  await expect(card).toContainText(/\d+\.\d+\.\d+\.\d+/);
  await expect(card).toContainText(/\$\d/);
  const box = await card.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "/tmp/lists-mobile.png", fullPage: true });
  await expectAccessible(page);
});

test("the audit log reads as sentences, names its targets, filters on change", async ({ page }) => {
  const prefix = unique("audited");
  await login(page, "alice");
  await requestMachines(page, prefix, 1);
  await page.getByRole("button", { name: "Sign out" }).click();
  await login(page, "admin");
  await page.goto("/admin/audit");
  await page.getByLabel("Action").selectOption({ label: "Request submitted" });
  await expect(page).toHaveURL(/action=request\.submit/);
  const summary = page.locator("summary").first();
  await expect(summary).toContainText("Request submitted");
  await expect(summary).toContainText("Show details");
  await summary.click();
  await expect(page.getByRole("link", { name: /^Only events about/ }).first()).toBeVisible();
  await page.screenshot({ path: "/tmp/lists-audit.png", fullPage: false });
  const csv = await (await page.request.get("/api/audit/export?action=request.submit")).text();
  expect(csv.split("\r\n")[0]).toContain("time,actor,action");
  expect(csv).toContain("request.submit");
  await expectAccessible(page);
});
