import type { Page } from "@playwright/test";
import { expectAccessible, login, logout, unique, expect, test } from "./fixtures";

/** The comparison table's row of a provider. */
const providerRow = (page: Page, name: string) => page.getByTestId("price-comparison").locator(`tr[data-provider="${name}"]`);

test("the request form compares providers, alice orders the cheapest, and its cost shows on the Costs page", async ({ page }) => {
  // Ordering, provisioning and a cost run: longer than one page's worth.
  test.setTimeout(180_000);
  const name = unique("cheap");
  await login(page, "alice");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await expect(page.getByText("Choose an OS template to compare", { exact: false })).toBeVisible();
  await page.getByLabel("OS template").selectOption({ label: "Ubuntu 24.04 LTS" });

  // Every provider that offers the template, cheapest first, with its price and room.
  const table = page.getByTestId("price-comparison");
  await expect(table).toBeVisible();
  const rows = table.locator("tbody tr[data-provider]");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute("data-provider", "Simulator (local)");
  await expect(rows.nth(1)).toHaveAttribute("data-provider", "Simulator (site B)");
  await expect(providerRow(page, "Simulator (local)").getByTestId("provider-monthly")).toHaveText("$14.20");
  await expect(providerRow(page, "Simulator (site B)").getByTestId("provider-monthly")).toHaveText("$17.10");
  await expect(providerRow(page, "Simulator (local)")).toContainText("Policy's pick");
  await expect(providerRow(page, "Simulator (local)")).toContainText("Cheapest");
  await expect(providerRow(page, "Simulator (local)")).toContainText("Has room");
  await expect(page.getByTestId("comparison-policy")).toContainText("It would place these machines on Simulator (local)");

  // The quantity changes the totals.
  await page.getByLabel("Quantity").fill("3");
  await expect(providerRow(page, "Simulator (local)").getByTestId("provider-monthly")).toHaveText("$42.60");
  await page.getByLabel("Quantity").fill("1");
  await expect(providerRow(page, "Simulator (local)").getByTestId("provider-monthly")).toHaveText("$14.20");

  // Web Platform lets members pick: alice picks the cheapest explicitly.
  await page.getByLabel("Simulator (local)").check();
  await expect(page.getByLabel("Simulator (local)")).toBeChecked();
  // The same choice as the placement target: on that one provider.
  await expect(page.getByLabel("Placement", { exact: true })).toHaveValue(/^provider:/);
  await expect(page.getByRole("radio", { name: /Let the project/ })).not.toBeChecked();
  await page.getByLabel("Machine name").fill(name);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests/);

  // Below the project's automatic approval threshold: the worker provisions it where she chose.
  await page.goto("/machines");
  await page.getByRole("link", { name }).click();
  await expect(page.getByText("Running", { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("placement-reason")).toContainText("Placed on Simulator (local)");
  await logout(page);

  // An administrator brings the ledger up to date; the machine's cost appears by provider.
  await login(page, "admin");
  await page.goto("/costs?groupBy=provider");
  await expectAccessible(page);
  await expect(page.getByTestId("trend-chart").locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expect(page.getByTestId("daily-chart").locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.getByRole("button", { name: "Update now" }).click();
        await page.waitForTimeout(5000);
        await page.reload();
        // The machine's row, and enough run time accrued to show in four decimals.
        const rows = await page.getByTestId("cost-breakdown").locator("tr", { hasText: "Simulator (local)" }).count();
        const monthToDate = await page.getByTestId("cost-month-to-date").textContent();
        return rows === 1 && /^\$\d+\.\d*[1-9]/.test(monthToDate ?? "");
      },
      { timeout: 50_000, intervals: [1000] },
    )
    .toBe(true);
  await expect(page.getByTestId("breakdown-chart").locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();

  // The CSV export has the machine's line.
  const href = await page.getByRole("link", { name: /Export the costs of/ }).getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const text = await csv.text();
  expect(text.split("\r\n")[0]).toBe("date,project,provider,provider_kind,offering,owner,owner_email,powered_hours,compute,storage,total,currency");
  expect(text).toMatch(/Web Platform,Simulator \(local\),SIMULATOR,Small SSD,Alice Martins,alice@orquestra\.local,/);

  // The dashboard shows the month so far and the forecast.
  await page.goto("/dashboard");
  await expect(page.getByText("Cost this month")).toBeVisible();
  await expect(page.getByText("Forecast for the month")).toBeVisible();
});

test("on a 390 px phone the provider comparison fits: room under each provider, no sideways scroll", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, "alice");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await page.getByLabel("OS template").selectOption({ label: "Ubuntu 24.04 LTS" });
  const table = page.getByTestId("price-comparison");
  await expect(providerRow(page, "Simulator (local)").getByTestId("provider-monthly")).toHaveText("$14.20");
  await expect(providerRow(page, "Simulator (local)").getByTestId("provider-capacity-phone")).toContainText("Has room");
  await expect(page.getByRole("columnheader", { name: "Room now" })).toBeHidden();
  // The table is no wider than its frame (it scrolled sideways by ~150 px before).
  const overflow = await table.evaluate((el) => el.parentElement!.scrollWidth - el.parentElement!.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByLabel("Simulator (local)")).toBeEnabled();
  await page.getByLabel("Simulator (local)").check();
  await expect(page.getByLabel("Simulator (local)")).toBeChecked();
  await expectAccessible(page);
  await table.screenshot({ path: test.info().outputPath("comparison-phone.png") });
});

test("administrators see price books and import a price list", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/admin/price-books");
  await expect(page.getByTestId("price-book-providers").locator('tr[data-provider="Simulator (site B)"]')).toContainText("Its own");
  await expect(page.getByTestId("price-book-providers").locator('tr[data-provider="Docker (local Podman)"]')).toContainText("Its kind's default");
  // The demo's EC2 region is priced by its kind's book: its row opens that book.
  await page.getByTestId("price-book-providers").getByRole("link", { name: "Open the price book of Amazon EC2" }).click();
  await expect(page.getByRole("heading", { name: "Default price book of Amazon EC2" })).toBeVisible();
  await expect(page.getByText("t3.medium").first()).toBeVisible();
  await expectAccessible(page);

  // A broken file says what is wrong, line by line.
  await page.getByLabel("File").setInputFiles({ name: "prices.csv", mimeType: "text/csv", buffer: Buffer.from("kind,unit,amount\ncpu,hour,1\n") });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("import-problems")).toContainText('Line 2: unknown kind "cpu"');

  const tomorrow = new Date(Date.now() + 86_400_000);
  const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, "0")}-${String(tomorrow.getDate()).padStart(2, "0")}T09:00`;
  const file = `kind,name,vcpu,memory_gib,unit,amount\ninstance,${unique("x1.big")},4,16,hour,0.25\nssd_gb,,,,month,0.08\nhdd_gb,,,,month,0.045\n`;
  await page.getByLabel("File").setInputFiles({ name: "prices.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await page.locator("form").filter({ has: page.getByLabel("File") }).getByLabel("Effective from").fill(local);
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("Price list imported: 3 prices.")).toBeVisible();
  await expect(page.locator('[data-version-status="SCHEDULED"]').first()).toContainText("Scheduled");
});
