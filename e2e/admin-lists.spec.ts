import type { Page } from "@playwright/test";
import { expectAccessible, login, expect, test, unique } from "./fixtures";

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
  // Kinds by their names, not their codes.
  await expect(page.getByLabel("Kind", { exact: true }).locator("option")).toContainText(["Any", "Simulator", "VMware vSphere", "KVM (libvirt)", "LXD", "Docker / Podman"]);
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

test("admin groups: search by name or IdP group without Apply, sort by a header, cards on a phone", async ({ page }) => {
  // Two groups made through the form, then desktop and phone: longer than the default on a shared machine.
  test.setTimeout(240_000);
  const prefix = unique("lists-grp");
  await login(page, "admin");
  // Two groups of this run: one mapped to an IdP group, one filled by hand.
  for (const [name, idp] of [
    [`${prefix}-alpha`, `${prefix}-idp-engineers`],
    [`${prefix}-beta`, ""],
  ]) {
    await page.goto("/admin/groups");
    const create = page.getByRole("button", { name: "Create group" });
    await expect.poll(() => create.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
    await page.getByLabel("Name", { exact: true }).fill(name);
    if (idp) await page.getByRole("textbox", { name: "IdP group", exact: true }).fill(idp);
    await create.click();
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  }
  await page.goto("/admin/groups");
  const search = page.getByRole("searchbox", { name: "Name or IdP group" });
  await search.fill(prefix);
  await expect(page).toHaveURL(/q=lists-grp/);
  await expect.poll(() => attrs(page, "data-group")).toEqual([`${prefix}-alpha`, `${prefix}-beta`]);
  // The IdP group's value is searched too.
  await search.fill(`${prefix}-idp-eng`);
  await expect.poll(() => attrs(page, "data-group")).toEqual([`${prefix}-alpha`]);
  await search.fill(prefix);
  await expect.poll(() => attrs(page, "data-group")).toHaveLength(2);
  // Name, first click ascending, second descending; the search stays.
  await page.getByRole("columnheader", { name: /^Name/ }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(page.getByRole("columnheader", { name: /^Name/ })).toHaveAttribute("aria-sort", "ascending");
  await page.getByRole("columnheader", { name: /^Name/ }).getByRole("link").click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect(page).toHaveURL(/q=lists-grp/);
  await expect(page.getByRole("columnheader", { name: /^Name/ })).toHaveAttribute("aria-sort", "descending");
  await expect.poll(() => attrs(page, "data-group")).toEqual([`${prefix}-beta`, `${prefix}-alpha`]);
  await expect(page.locator(`[data-group="${prefix}-beta"]`)).toContainText("Not mapped");
  await search.fill(`${prefix}-nothing`);
  await expect(page.getByText("Nothing matches these filters.")).toBeVisible();
  await expectAccessible(page);
  await phoneCheck(page, `/admin/groups?q=${prefix}`, "/tmp/walk4-groups-phone.png");
  // On a phone each group is a card: its name link and its member count are in view.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/admin/groups?q=${prefix}`);
  const card = page.locator(`[data-group="${prefix}-alpha"]`);
  await expect(card.getByRole("link", { name: `${prefix}-alpha` })).toBeInViewport();
  await expect(card).toContainText("Members: 0");
  // The header row is hidden on a phone: the sort links above the cards sort the same way.
  const phoneSort = page.getByRole("navigation", { name: "Sort by" });
  await phoneSort.getByRole("link", { name: "Name" }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc|dir=asc&sort=name|sort=name.*dir=asc/);
  await expect(phoneSort.getByRole("link", { name: /Name/ })).toHaveAttribute("aria-current", "true");
  await expect.poll(() => attrs(page, "data-group")).toEqual([`${prefix}-alpha`, `${prefix}-beta`]);
  await phoneSort.getByRole("link", { name: /Name/ }).click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect.poll(() => attrs(page, "data-group")).toEqual([`${prefix}-beta`, `${prefix}-alpha`]);
});
