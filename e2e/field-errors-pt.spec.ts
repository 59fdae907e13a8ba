// Issue 16, Portuguese: the server's field errors on the machine page's new forms (rename, tags)
// reach the user in pt-BR, with their values (the line of a bad tag): the services answer
// message keys (i18n/field-message.ts) and the forms translate them.
import type { Page } from "@playwright/test";
import { LOCALE_COOKIE } from "../i18n/locales";
import { expect, expectAccessible, login, test, unique } from "./fixtures";

async function requestMachine(page: Page, name: string) {
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await page.getByLabel("OS template").selectOption({ label: "Ubuntu 24.04 LTS" });
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Machine name").fill(name);
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests/);
}

test("rename and tag errors from the server are shown in Portuguese", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const first = unique("pt");
  const second = unique("pt");
  await login(page, "alice");
  await requestMachine(page, first);
  await requestMachine(page, second);
  await page.goto("/machines");
  await page.getByRole("link", { name: first, exact: true }).click();
  await expect(page).toHaveURL(/\/machines\/[0-9a-f-]{36}$/);

  // Portuguese from here on (this browser context only).
  await page.context().addCookies([{ name: LOCALE_COOKIE, value: "pt-BR", url: baseURL! }]);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Nome, tags e dono" })).toBeVisible();
  const rename = page.locator("#machine-rename");
  const renameButton = page.getByRole("button", { name: "Renomear" });
  await expect.poll(() => renameButton.evaluate((n) => Object.keys(n).some((k) => k.startsWith("__reactProps")))).toBe(true);

  // A name another machine of the project has: refused by the service.
  await rename.fill(second);
  await renameButton.click();
  await expect(page.locator("#machine-rename-error")).toHaveText("Outra máquina deste projeto já tem este nome.");
  // Not a DNS label: refused by the schema.
  await rename.fill("Nome Ruim!");
  await renameButton.click();
  await expect(page.locator("#machine-rename-error")).toHaveText("Use letras minúsculas, dígitos e hífens; comece e termine com uma letra ou um dígito.");

  // Tags: each bad line said with its number.
  await page.locator("#machine-tags").fill("env=e2e\nsem-igual\nenv=de-novo");
  await page.getByRole("button", { name: "Salvar tags" }).click();
  const tagErrors = page.locator("#machine-tags-error");
  await expect(tagErrors).toContainText("Linha 2: escreva chave=valor.");
  await expect(tagErrors).toContainText("Linha 3: env aparece duas vezes.");
  await expect(page.getByText(/Line \d|Another machine|write key=value/)).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: `/tmp/seed-field-errors-pt-${process.env.E2E_PORT ?? "e2e"}.png`, fullPage: true });
});
