import { expectAccessible, login, expect, test } from "./fixtures";

// The provider edit form saves: its client-side schema once required an `id` the form's values do
// not carry, so every save stopped at "Some fields are invalid." with no field marked.
test("an administrator saves a provider's settings from its page", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/admin/providers");
  await page.getByRole("link", { name: "Edit provider Simulator (site B)" }).click();
  await page.waitForURL(/\/admin\/providers\/[0-9a-f-]{36}$/);
  await expectAccessible(page);
  await expect(page.getByLabel("Metrics sampling interval (seconds)")).toHaveValue("60");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Provider saved.")).toBeVisible();
  await expect(page.getByText("Some fields are invalid.")).toHaveCount(0);
  // A real error still stops the save, on its field.
  await page.locator("#provider-name").fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#provider-name")).toHaveAttribute("aria-invalid", "true");
});
