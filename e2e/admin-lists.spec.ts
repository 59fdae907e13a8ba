import type { Page } from "@playwright/test";
import { expectAccessible, login, expect, test } from "./fixtures";

const attrs = (page: Page, attr: string) => page.locator(`[${attr}]`).evaluateAll((els, a) => els.map((el) => el.getAttribute(a)), attr);

async function phoneCheck(page: Page, path: string, shot: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(path);
  // No sideways scrolling: rows are cards with their key fields and actions.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: shot, fullPage: true });
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("admin providers: search and filters without Apply, sort in the URL, cards on a phone", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/admin/providers");
  await page.getByRole("searchbox", { name: "Name or endpoint" }).fill("simulator");
  await expect(page).toHaveURL(/q=simulator/);
  await expect.poll(() => attrs(page, "data-provider")).toEqual(["Simulator (local)", "Simulator (site B)"]);
  await page.getByLabel("Sort by").selectOption("name");
  await page.getByLabel("Order").selectOption("desc");
  await expect(page).toHaveURL(/dir=desc/);
  await expect(page).toHaveURL(/q=simulator/);
  await expect.poll(() => attrs(page, "data-provider")).toEqual(["Simulator (site B)", "Simulator (local)"]);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await page.getByLabel("Kind", { exact: true }).selectOption("LXD");
  await expect(page).toHaveURL(/kind=LXD/);
  await expect.poll(() => attrs(page, "data-provider")).toEqual(["LXD (local)"]);
  await page.getByLabel("Status").selectOption("DISABLED");
  await expect(page.getByText("Nothing matches these filters.")).toBeVisible();
  await expectAccessible(page);
  await phoneCheck(page, "/admin/providers?kind=SIMULATOR", "/tmp/lists3-providers-phone.png");
});

test("admin offerings and templates: sort by a header, search and filter without Apply, cards on a phone", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/admin/offerings");
  await page.getByRole("searchbox", { name: "Name or description" }).fill("SSD");
  await expect(page).toHaveURL(/q=SSD/);
  await expect.poll(() => attrs(page, "data-offering")).toEqual(expect.arrayContaining(["Small SSD", "XLarge SSD"]));
  const price = page.getByRole("columnheader", { name: /Monthly price/ });
  await price.getByRole("link").click();
  await expect(page).toHaveURL(/sort=price/);
  await expect(page).toHaveURL(/q=SSD/);
  await expect(page.getByRole("columnheader", { name: /Monthly price/ })).toHaveAttribute("aria-sort", "descending");
  const byPrice = await attrs(page, "data-offering");
  expect(byPrice.indexOf("XLarge SSD")).toBeLessThan(byPrice.indexOf("Small SSD"));
  await page.getByLabel("Disk tier").selectOption("HDD");
  await expect(page).toHaveURL(/tier=HDD/);
  await expect.poll(() => attrs(page, "data-offering")).toEqual([]);
  await expect(page.getByText("Nothing matches these filters.")).toBeVisible();
  await page.getByRole("searchbox", { name: "Name or description" }).fill("");
  await expect.poll(() => attrs(page, "data-offering")).toEqual(["Storage 4x1T", "Medium HDD", "Small HDD"]);
  await expectAccessible(page);
  await phoneCheck(page, "/admin/offerings?tier=SSD", "/tmp/lists3-offerings-phone.png");

  await page.goto("/admin/templates");
  await page.getByLabel("OS family").selectOption("WINDOWS");
  await expect(page).toHaveURL(/family=WINDOWS/);
  await expect.poll(() => attrs(page, "data-template")).toEqual(["Windows Server 2022"]);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await page.getByRole("searchbox", { name: "Name, OS or description" }).fill("cloud-init");
  await expect(page).toHaveURL(/q=cloud-init/);
  await page.getByRole("columnheader", { name: /Minimum disk/ }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=minDisk/);
  await expect.poll(async () => (await attrs(page, "data-template"))[0]).toBe("Rocky Linux 9");
  await expectAccessible(page);
  await phoneCheck(page, "/admin/templates", "/tmp/lists3-templates-phone.png");
});
