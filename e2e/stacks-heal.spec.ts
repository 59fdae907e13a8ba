import type { Page } from "@playwright/test";
import { expectAccessible, login, expect, test } from "./fixtures";

// The demo stack (docs/examples/shop-stack.yaml, seeded in Web Platform, healing: auto) is
// applied, its requests approved, then a newcomer breaks it by deleting a web machine from the
// machines page and watches it heal: the drift badge, then "Healed" in the stack's history.
// The worker's stack task runs when a stack's request settles and when a stack machine is
// deleted (lib/stacks/nudge-stacks.ts), and every minute besides: the shop-lb workload's wave
// still waits for a minute's run, so this takes a minute or two. The waits below stay long
// enough for the every-minute path alone.

const approvalCard = (page: Page, text: string) => page.getByRole("article").filter({ hasText: text });

/** Reloads the approvals page until a request naming `text` is there, then approves it. */
async function approve(page: Page, text: string) {
  await expect(async () => {
    await page.goto("/admin/approvals");
    await expect(approvalCard(page, text)).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 150_000, intervals: [3_000] });
  await approvalCard(page, text).getByRole("button", { name: /^Approve/ }).click();
  await expect(approvalCard(page, text)).toHaveCount(0);
}

test("the demo stack: apply it, delete a machine behind its back, see the drift and the healing", async ({ page, browser }) => {
  test.setTimeout(600_000);
  await login(page, "alice");
  await page.goto("/stacks");
  await page.getByRole("link", { name: "shop", exact: true }).click();
  await expect(page).toHaveURL(/\/stacks\/[0-9a-f-]{36}$/);
  const stackUrl = page.url();
  await expect(page.getByRole("heading", { name: "shop · Web Platform", level: 1 })).toBeVisible();
  await expectAccessible(page);

  // Apply: the database first; Web Platform auto-approves only below $20 a month, so the
  // approver approves the database's request, then the web tier's.
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(/^Apply started:/)).toBeVisible();
  const approver = await (await browser.newContext()).newPage();
  await login(approver, "approver");
  await approve(approver, "shop-db");
  await approve(approver, "shop-web-01");

  const status = page.getByText("Applied", { exact: true }).first();
  await expect(async () => {
    await page.goto(stackUrl);
    await expect(page.getByTestId("stack-outputs")).toContainText(/web\s*\d+\.\d+\.\d+\.\d+,\d+\.\d+\.\d+\.\d+/, { timeout: 2_000 });
    await expect(status).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 240_000, intervals: [3_000] });
  await expect(page.getByTestId("stack-activity")).toContainText("Applied");
  // The load balancer (a container workload of the stack) runs after the web tier.
  await expect(page.getByRole("row").filter({ hasText: "shop-lb" })).toContainText("RUNNING");

  // Break it by hand: delete shop-web-02 from the machines page.
  await page.goto("/machines");
  await page.getByRole("link", { name: "shop-web-02", exact: true }).click();
  await expect(page).toHaveURL(/\/machines\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Type shop-web-02 to confirm").fill("shop-web-02");
  await dialog.getByRole("button", { name: "Delete machine" }).click();
  await expect(page.locator("#machine-state")).toHaveText(/Deleted/, { timeout: 60_000 });

  // The reconcile finds the drift (badge), heals it (a new shop-web-02, auto-approved at $15)
  // and records both in the history.
  let sawDrift = false;
  await expect(async () => {
    await page.goto(stackUrl);
    if (await page.getByText("1 difference", { exact: true }).isVisible()) sawDrift = true;
    await expect(page.getByTestId("stack-activity")).toContainText("Healed", { timeout: 1_000 });
  }).toPass({ timeout: 300_000, intervals: [2_000] });
  const activity = page.getByTestId("stack-activity");
  await expect(activity).toContainText("Drift found");
  await expect(activity).toContainText(/create shop-web-02/);
  await expect(activity).toContainText("Healing started");
  // The badge showed the difference while it was being healed (or the history proves it was).
  expect(sawDrift || (await activity.textContent())!.includes("Drift found")).toBe(true);
  await expect(page.getByText("In sync", { exact: true })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "shop-web-02" })).toContainText("RUNNING");
  await page.screenshot({ path: "/tmp/iac-stacks-heal.png", fullPage: true });
  await expectAccessible(page);

  // Export and adopt from the page: the healed stack's machines show as owned by it.
  await page.goto("/stacks/export");
  await expect(page.getByRole("heading", { name: "Export machines as a stack", level: 1 })).toBeVisible();
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await expect(page.getByRole("row").filter({ hasText: "shop-db" })).toContainText("shop");
  await page.getByLabel("Pick shop-db").check();
  await page.getByLabel("Stack name").fill("shop-copy");
  await page.getByRole("button", { name: "Show the document" }).click();
  await expect(page.getByTestId("export-yaml")).toContainText("kind: Stack");
  await expect(page.getByTestId("export-yaml")).toContainText("name: shop-copy");
  await expect(page.getByText("Machines already in a stack can be exported but not adopted.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Adopt as stack" })).toBeDisabled();
  await expect(page.getByRole("link", { name: "Download the YAML" })).toHaveAttribute("download", "shop-copy.yaml");
  await page.screenshot({ path: "/tmp/iac-stacks-export.png", fullPage: true });
  await expectAccessible(page);
});
