import { login, unique, expect, test } from "./fixtures";

// A containerised app with replicas on the demo's simulator: requested with 3 replicas, seen
// running (the page polls; no reloads), scaled to 1, deleted.
test("a 3-replica workload is requested, runs, is scaled to 1 and deleted", async ({ page }) => {
  const name = unique("web");
  await login(page, "alice");
  await page.goto("/workloads");
  // The list above has its own Project filter: the request form's fields are read inside the form.
  const form = page.getByRole("form", { name: "Request a workload" });
  await form.getByLabel("Project").selectOption({ label: "Internal Tools" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Image", { exact: true }).fill("localhost/busybox:latest");
  await form.getByLabel("Replicas", { exact: true }).fill("3");
  // The simulator (whose logs are checked below), whatever other engines earlier specs activated.
  await form.getByLabel("Provider", { exact: true }).selectOption({ label: "Simulator (local) (Simulator)" });
  await form.getByLabel("Secrets").fill("API_TOKEN=demo-secret");
  await form.getByRole("button", { name: "Request workload" }).click();
  await expect(page).toHaveURL(/\/workloads\/[0-9a-f-]{36}$/);

  const status = page.getByTestId("replica-status");
  await expect(status).toHaveText("3 of 3 replicas running", { timeout: 45_000 });
  await expect(page.getByText("Running", { exact: true }).first()).toBeVisible();
  // Secrets are shown by name only.
  await expect(page.getByText("API_TOKEN")).toBeVisible();
  await expect(page.getByText("demo-secret")).toHaveCount(0);

  await page.getByLabel("Desired replicas").fill("1");
  await page.getByRole("button", { name: "Scale", exact: true }).click();
  await expect(status).toHaveText("1 of 1 replicas running", { timeout: 45_000 });

  await page.getByRole("button", { name: "Read the last lines" }).click();
  await expect(page.getByLabel("Logs")).toContainText("started localhost/busybox:latest");

  await page.getByLabel(`Type ${name} to delete`).fill(name);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByText("Deleted", { exact: true }).first()).toBeVisible({ timeout: 45_000 });

  // The list no longer shows it.
  await page.goto("/workloads");
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});
