import { expectAccessible, login, unique, expect, test } from "./fixtures";

test("alice writes a stack, sees a YAML error by line, plans, applies and sees the outputs", async ({ page }) => {
  // Provisioning and the worker's stack task (every minute) take longer than one page.
  test.setTimeout(240_000);
  const name = unique("e2e-stack").toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 40);
  await login(page, "alice");
  await page.goto("/stacks");
  await expect(page.getByRole("heading", { name: "Stacks", level: 1 })).toBeVisible();
  await expectAccessible(page);
  const editor = page.getByLabel("Document (YAML)");
  await editor.fill(`apiVersion: orquestra/v1\nkind: Stack\nmetadata:\n  name: ${name}\n  project: web-platform\nmachines:\n  - name: ${name}-m\n    offering: Small SSD\n    template: Ubuntu 24.04 LTS\n    count: lots\n`);
  await expect(page.getByText(/Line 10, column 12: machines\.0\.count/)).toBeVisible();
  await editor.fill(
    `apiVersion: orquestra/v1\nkind: Stack\nmetadata:\n  name: ${name}\n  project: web-platform\nmachines:\n  - name: ${name}-m\n    offering: Small SSD\n    template: Ubuntu 24.04 LTS\n    lease: 30d\noutputs:\n  address: \${machines.${name}-m.ip}\n`,
  );
  await expect(page.getByText("The document is valid.")).toBeVisible();
  await page.getByRole("button", { name: "Save version" }).click();
  await expect(page).toHaveURL(/\/stacks\/[0-9a-f-]{36}$/);

  await page.getByRole("button", { name: "Plan" }).click();
  await expect(page.getByRole("heading", { name: "Plan (version 1)" })).toBeVisible();
  await expect(page.getByRole("cell", { name: `${name}-m`, exact: true }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "create" })).toBeVisible();

  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(/^Apply started:/)).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("stack-outputs")).toContainText(/address\s*\d+\.\d+\.\d+\.\d+/, { timeout: 2_000 });
  }).toPass({ timeout: 200_000, intervals: [3_000] });
  await expect(page.getByText("Applied", { exact: true }).first()).toBeVisible();
  await expectAccessible(page);
});
