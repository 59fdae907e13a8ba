import type { Locator, Page } from "@playwright/test";
import { expectAccessible, login, logout, unique, USERS, expect, test } from "./fixtures";

// Administration pages. Every test leaves the demo data as other specs expect it: it only
// touches what it creates, raises (never lowers) a quota, and undoes membership and host
// maintenance changes.

/**
 * Waits until React has hydrated `el` (its props are attached), so typing and clicking reach
 * the client-side handlers rather than the bare server-rendered HTML.
 */
async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

/** Opens a page whose form is a client component, once it is interactive. */
async function gotoForm(page: Page, path: string, submit: string) {
  await page.goto(path);
  await hydrated(page.getByRole("button", { name: submit }));
}

/** The /admin/offerings row of `name`. */
const offeringRow = (page: Page, name: string) => page.getByRole("row").filter({ hasText: name });

async function fillOffering(page: Page, v: { name: string; vcpu: string; memoryGib: string; diskGb: string; price: string }) {
  await page.getByLabel("Name", { exact: true }).fill(v.name);
  await page.getByLabel("vCPU").fill(v.vcpu);
  await page.getByLabel("Memory (GiB)").fill(v.memoryGib);
  await page.getByLabel("Disk (GB)").fill(v.diskGb);
  await page.getByLabel("Disk tier").selectOption("SSD");
  await page.getByLabel("Monthly price").fill(v.price);
}

/** Creates a valid offering through the form and waits for it in the list. */
async function createOffering(page: Page, name: string) {
  await gotoForm(page, "/admin/offerings/new", "Create offering");
  await fillOffering(page, { name, vcpu: "2", memoryGib: "4", diskGb: "40", price: "17.50" });
  await page.getByRole("button", { name: "Create offering" }).click();
  await expect(page).toHaveURL(/\/admin\/offerings$/);
  await expect(offeringRow(page, name)).toContainText("Active");
}

async function deactivateOffering(page: Page, name: string) {
  await page.goto("/admin/offerings");
  await hydrated(offeringRow(page, name).getByRole("button", { name: "Deactivate" }));
  await offeringRow(page, name).getByRole("button", { name: "Deactivate" }).click();
  const dialog = page.getByRole("dialog", { name: `Deactivate ${name}?` });
  await dialog.getByRole("button", { name: "Deactivate" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(offeringRow(page, name)).toContainText("Inactive");
}

test("an administrator creates an offering, it reaches the catalogue, and deactivating it hides it", async ({ page }) => {
  test.slow(); // four sign-ins
  const name = unique("Offering");
  await login(page, "admin");
  await page.goto("/admin/offerings");
  await page.getByRole("link", { name: "New offering" }).first().click();
  await expect(page).toHaveURL(/\/admin\/offerings\/new$/);
  await hydrated(page.getByRole("button", { name: "Create offering" }));

  // Invalid values: the submit shows each field's problem and a summary, and nothing is saved.
  await fillOffering(page, { name, vcpu: "0", memoryGib: "5000", diskGb: "40", price: "12.5x" });
  await page.getByRole("button", { name: "Create offering" }).click();
  await expect(page.getByText("Enter a whole number from 1 to 256.")).toBeVisible();
  await expect(page.getByText("Enter a value from 0.5 to 4096 GiB.")).toBeVisible();
  await expect(page.getByText("Enter an amount such as 12 or 12.50 (at most two decimals).")).toBeVisible();
  await expect(page.getByLabel("vCPU")).toHaveAttribute("aria-invalid", "true");
  // After a submit, fixing a field clears its message as you type.
  await page.getByLabel("vCPU").fill("2");
  await expect(page.getByText("Enter a whole number from 1 to 256.")).toHaveCount(0);
  await page.getByLabel("vCPU").fill("0");
  await expect(page.getByRole("alert").filter({ hasText: "Some fields are invalid." })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/offerings\/new$/);
  await page.goto("/admin/offerings");
  await expect(page.getByRole("heading", { name: "Offerings", level: 1 })).toBeVisible();
  await expect(offeringRow(page, name)).toHaveCount(0);

  // Valid values.
  await gotoForm(page, "/admin/offerings/new", "Create offering");
  await fillOffering(page, { name, vcpu: "3", memoryGib: "6.5", diskGb: "60", price: "21.75" });
  await page.getByRole("button", { name: "Create offering" }).click();
  await expect(page).toHaveURL(/\/admin\/offerings$/);
  const row = offeringRow(page, name);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("6.5");
  await expect(row).toContainText("$21.75");
  await logout(page);

  await login(page, "alice");
  await page.goto("/catalog");
  await expect(page.getByRole("link", { name: `Request ${name}` })).toBeVisible();
  await logout(page);

  await login(page, "admin");
  await deactivateOffering(page, name);
  await logout(page);

  await login(page, "alice");
  await page.goto("/catalog");
  await expect(page.getByRole("link", { name: "Request Medium SSD" })).toBeVisible();
  await expect(page.getByRole("link", { name: `Request ${name}` })).toHaveCount(0);
});

test("an administrator raises a project's quota and adds a member, who can then request in it", async ({ page }) => {
  test.slow(); // three sign-ins
  await login(page, "admin");
  await page.goto("/admin/projects");
  await page.getByRole("link", { name: "Internal Tools", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/projects\/[0-9a-f-]{36}$/);
  const projectUrl = page.url();
  const machinesMeter = page.getByRole("meter", { name: "Machines" });
  const oldQuota = Number(await machinesMeter.getAttribute("aria-valuemax"));
  const newQuota = oldQuota + 5;

  await page.getByRole("link", { name: "Edit settings" }).click();
  await expect(page.getByRole("heading", { name: "Edit project", level: 1 })).toBeVisible();
  await hydrated(page.getByRole("button", { name: "Save", exact: true }));
  await expect(page.getByLabel("Machine quota")).toHaveValue(String(oldQuota));
  await page.getByLabel("Machine quota").fill(String(newQuota));
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(projectUrl);
  await expect(machinesMeter).toHaveAttribute("aria-valuemax", String(newQuota));

  // Adding by e-mail: an unknown address is refused next to the field.
  const addForm = page.getByRole("form", { name: "Add member" });
  await hydrated(addForm.getByRole("button", { name: "Add member" }));
  await addForm.getByLabel("E-mail").fill(`${unique("nobody")}@orquestra.local`);
  await addForm.getByLabel("Role", { exact: true }).selectOption({ label: "Member" });
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expect(addForm.getByText("No user has this e-mail address.")).toBeVisible();
  await expect(addForm.getByLabel("E-mail")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("row").filter({ hasText: "nobody-" })).toHaveCount(0);

  await addForm.getByLabel("E-mail").fill(USERS.bob);
  await addForm.getByRole("button", { name: "Add member" }).click();
  const bobRow = page.getByRole("row").filter({ hasText: USERS.bob });
  await expect(bobRow).toBeVisible();
  await expect(page.getByLabel(`Role of ${USERS.bob}`)).toHaveValue("MEMBER");
  await expect(addForm.getByLabel("E-mail")).toHaveValue("");
  await logout(page);

  await login(page, "bob");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await expect(page).toHaveURL(/\/catalog\/.+\/request/);
  await expect(page.getByLabel("Project").locator("option", { hasText: "Internal Tools" })).toHaveCount(1);
  await page.getByLabel("Project").selectOption({ label: "Internal Tools" });
  await logout(page);

  // Undo the membership so other specs see the demo data unchanged.
  await login(page, "admin");
  await page.goto(projectUrl);
  await hydrated(page.getByRole("button", { name: `Remove ${USERS.bob}` }));
  await page.getByRole("button", { name: `Remove ${USERS.bob}` }).click();
  await page.getByRole("dialog", { name: `Remove ${USERS.bob}?` }).getByRole("button", { name: "Remove", exact: true }).click();
  await expect(bobRow).toHaveCount(0);
});

test("the audit log shows who created an offering, and filtering by action narrows it", async ({ page }) => {
  const name = unique("Audited");
  await login(page, "admin");
  await createOffering(page, name);
  await deactivateOffering(page, name);

  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const entries = page.locator("tbody > tr > td > details");
  // Newest first: the deactivation, then the creation, both by the administrator.
  // Actions read as words (messages/*/auditActions.json), not keys.
  await expect(entries.first().locator("summary")).toContainText("Offering deactivated");
  await expect(entries.first().locator("summary")).toContainText(USERS.admin);

  // The filter applies when it changes: no Apply button (only without JavaScript).
  const filters = page.getByRole("form", { name: "Filters" });
  await hydrated(filters.getByLabel("Action"));
  await filters.getByLabel("Action").selectOption("offering.create");
  await expect(page).toHaveURL(/[?&]action=offering\.create/);
  await expect(filters.getByLabel("Action")).toHaveValue("offering.create");
  const summaries = entries.locator("> summary");
  await expect(summaries.filter({ hasText: "Offering deactivated" })).toHaveCount(0);
  const count = await summaries.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await expect(summaries.nth(i)).toContainText("Offering created");

  const created = entries.filter({ hasText: `"${name}"` });
  await expect(created).toHaveCount(1);
  await expect(created.locator("summary")).toContainText(USERS.admin);
  await created.locator("summary").click();
  await expect(created.getByText(`"${name}"`)).toBeVisible();
});

test("hosts show their usage, and a host can be put into maintenance and back", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/admin/hosts");
  await expect(page.getByRole("heading", { name: "Hosts", level: 1 })).toBeVisible();
  for (let i = 1; i <= 6; i++) await expect(page.locator(`tr[data-host="sim-host-0${i}"]`)).toBeVisible();
  // The rows travel as data: their meters are in the HTML, not again as elements of the
  // server component payload (a host row was ~4.6 KB of it; 50 per page).
  const html = await (await page.request.get("/admin/hosts")).text();
  const payload = [...html.matchAll(/<script[^>]*>self\.__next_f\.push\(([\s\S]*?)\)<\/script>/g)].map((m) => m[1]).join("");
  expect(html).toContain('role="meter"');
  expect(payload).toContain("sim-host-01");
  expect(payload).not.toContain('\\"role\\":\\"meter\\"');

  const host = "sim-host-06";
  const row = page.locator(`tr[data-host="${host}"]`);
  await hydrated(row.getByRole("button", { name: `Put ${host} into maintenance` }));
  await expect(row.getByRole("meter", { name: /^vCPU/ })).toHaveAttribute("aria-valuemax", /^\d+$/);
  await expect(row.getByRole("meter", { name: /^Memory/ })).toBeVisible();
  await expect(row).toContainText("Simulator (local)");
  await expect(row.getByText("Active", { exact: true })).toBeVisible();

  await row.getByRole("button", { name: `Put ${host} into maintenance` }).click();
  await expect(row.getByText("In maintenance", { exact: true })).toBeVisible();
  const leave = row.getByRole("button", { name: `Take ${host} out of maintenance` });
  await expect(leave).toBeEnabled();
  // The state is stored, not just shown: it survives a reload and the state filter finds it.
  await page.goto("/admin/hosts?state=MAINTENANCE");
  await expect(page.locator(`tr[data-host="${host}"]`)).toBeVisible();
  await expect(page.locator(`tr[data-host="sim-host-01"]`)).toHaveCount(0);

  await page.goto("/admin/hosts");
  await hydrated(row.getByRole("button", { name: `Take ${host} out of maintenance` }));
  await row.getByRole("button", { name: `Take ${host} out of maintenance` }).click();
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: `Put ${host} into maintenance` })).toBeEnabled();

  // Sorted by a header (said to assistive technology), searched without a button.
  const hostHeader = page.getByRole("columnheader", { name: /^Host/ });
  await expect(hostHeader).toHaveAttribute("aria-sort", "none");
  await hostHeader.getByRole("link").click();
  await expect(page).toHaveURL(/[?&]sort=name/);
  await expect(page.getByRole("columnheader", { name: /^Host/ })).toHaveAttribute("aria-sort", "ascending");
  await page.getByRole("columnheader", { name: /^Host/ }).getByRole("link").click();
  await expect(page.getByRole("columnheader", { name: /^Host/ })).toHaveAttribute("aria-sort", "descending");
  const search = page.getByRole("search", { name: "Filter hosts" }).getByLabel("Host name");
  await hydrated(search);
  await search.fill("SIM-HOST-03");
  await expect(page).toHaveURL(/[?&]q=SIM-HOST-03/);
  await expect(page.locator("tr[data-host]")).toHaveCount(1);
  await expect(page.locator('tr[data-host="sim-host-03"]')).toBeVisible();
  await expect(page).toHaveURL(/[?&]sort=name&dir=desc|[?&]dir=desc.*sort=name/);
});

test("administration pages have no serious accessibility violations", async ({ page }) => {
  test.slow(); // axe on seven pages
  await login(page, "admin");
  const pages: [string, string][] = [
    ["/admin/offerings", "Offerings"],
    ["/admin/offerings/new", "New offering"],
    ["/admin/projects", "Projects"],
    ["/admin/audit", "Audit log"],
    ["/admin/hosts", "Hosts"],
    ["/admin/providers", "Providers"],
  ];
  for (const [path, heading] of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expectAccessible(page);
  }
  // The offering form with its error messages showing.
  await gotoForm(page, "/admin/offerings/new", "Create offering");
  await page.getByLabel("Name", { exact: true }).fill("");
  await page.getByRole("button", { name: "Create offering" }).click();
  await expect(page.getByText("Enter a name.")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Some fields are invalid." })).toBeVisible();
  await expectAccessible(page);
  await logout(page);
});
