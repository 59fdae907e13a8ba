import type { Locator, Page } from "@playwright/test";
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
  // The target's type by its name, in the row and in the filter (not the model's code).
  const types = await page.getByLabel("Target type").locator("option").allTextContents();
  expect(types).toContain("Request");
  expect(types.filter((x) => /^[A-Z][a-z]+[A-Z]/.test(x))).toEqual([]);
  await summary.click();
  await expect(page.getByRole("link", { name: /^Only events about/ }).first()).toBeVisible();
  await page.screenshot({ path: "/tmp/lists-audit.png", fullPage: false });
  const csv = await (await page.request.get("/api/audit/export?action=request.submit")).text();
  expect(csv.split("\r\n")[0]).toContain("time,actor,action");
  expect(csv).toContain("request.submit");
  await expectAccessible(page);
  // On a phone each event is a card: the action and the target are in view, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const first = page.locator("summary").first();
  // Below the filters: scrolled to, its action and target lie within the screen's width.
  await first.scrollIntoViewIfNeeded();
  for (const part of [first.getByText("Request submitted"), first.getByText(/^#\d+/).first()]) {
    await expect(part).toBeInViewport();
    const box = (await part.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  expect(await page.locator("table").first().evaluate((t) => t.parentElement!.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
  await page.screenshot({ path: "/tmp/walk4-audit-phone.png", fullPage: false });
  await expectAccessible(page);
});

/** Requests in Internal Tools that wait for an approver (a Medium SSD is not approved automatically there). */
async function requestPending(page: Page, names: string[]) {
  for (const name of names) {
    await page.goto("/catalog");
    await page.getByRole("link", { name: "Request Medium SSD" }).click();
    await page.getByLabel("Project").selectOption({ label: "Internal Tools" });
    await page.getByLabel("OS template").selectOption({ label: "Debian 12" });
    await page.getByLabel("Quantity").fill("1");
    await page.getByLabel("Machine name").fill(name);
    await page.getByRole("button", { name: "Submit request" }).click();
    await expect(page).toHaveURL(/\/requests/);
  }
}
const requestRow = (page: Page, name: string) => page.getByRole("row").filter({ hasText: name });
const approvalCard = (page: Page, name: string) => page.getByRole("article").filter({ hasText: name });

test("approvals: bulk approve decides each request on its own (one skipped with its reason); My requests updates by itself", async ({ page, browser }) => {
  test.slow();
  const prefix = unique("bulkok");
  const names = [1, 2, 3].map((i) => `${prefix}-${i}`);
  await login(page, "alice");
  await requestPending(page, names);
  // Alice keeps her list open, searched to these requests; it is never reloaded below.
  await page.goto("/requests");
  for (const n of names) await expect(requestRow(page, n)).toContainText("Pending approval");

  const ctx = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const approver = await ctx.newPage();
  await login(approver, "approver");
  await approver.goto("/admin/approvals?order=newest");
  for (const n of names) await approvalCard(approver, n).getByRole("checkbox").check();
  const bar = approver.getByRole("region", { name: "Decisions for the selected requests" });
  await expect(bar).toContainText("3 requests selected");
  await approver.screenshot({ path: "/tmp/lists2-approvals.png", fullPage: false });
  await expectAccessible(approver);

  // Meanwhile alice withdraws the third: the approver's bulk approve skips it, with the reason.
  const third = requestRow(page, names[2]);
  await third.getByRole("button", { name: /^Cancel request/ }).click();
  await page.getByRole("button", { name: "Yes, cancel it" }).click();
  await expect(third).toContainText("Cancelled");

  await bar.getByRole("button", { name: "Approve selected" }).click();
  await approver.getByRole("dialog").getByRole("button", { name: "Approve 3 requests" }).click();
  await expect(approver.getByText("2 approved, 1 skipped")).toBeVisible();
  await expect(approver.getByText(/#\d+: This request has already been decided/)).toBeVisible();
  for (const n of names) await expect(approvalCard(approver, n)).toHaveCount(0);

  // Alice's list shows the decisions without a reload (the live poll).
  for (const n of names.slice(0, 2)) await expect(requestRow(page, n)).toContainText(/Approved|Fulfilled/, { timeout: 20_000 });
  await expect(third).toContainText("Cancelled");
  await expectAccessible(page);

  // Bulk reject needs a reason; with one, every selected request is rejected.
  const more = [1, 2].map((i) => `${prefix}-r${i}`);
  await requestPending(page, more);
  await approver.goto("/admin/approvals");
  for (const n of more) await approvalCard(approver, n).getByRole("checkbox").check();
  await bar.getByRole("button", { name: "Reject selected" }).click();
  const dialog = approver.getByRole("dialog");
  await dialog.getByRole("button", { name: "Reject 2 requests" }).click();
  await expect(dialog.getByText("Give a reason for the rejection.")).toBeVisible();
  await dialog.getByLabel("Reason").fill("Use the shared cluster");
  await dialog.getByRole("button", { name: "Reject 2 requests" }).click();
  await expect(approver.getByText("2 rejected, 0 skipped")).toBeVisible();
  await page.goto(`/requests?q=${more[0]}`);
  await expect(requestRow(page, more[0])).toContainText("Rejected");
  await expect(requestRow(page, more[0])).toContainText("Use the shared cluster");
  await ctx.close();

  // My requests: sorted by cost, searchable, exported; cards on a phone.
  await page.goto("/requests");
  await page.getByLabel("Project, offering, machine or number").fill("Internal Tools");
  await expect(page).toHaveURL(/q=Internal\+Tools/);
  await page.getByRole("columnheader", { name: /Monthly cost|Cost/ }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=cost/);
  await expect(page.getByRole("columnheader", { name: /Monthly cost|Cost/ })).toHaveAttribute("aria-sort", "descending");
  const csv = await (await page.request.get(`/api/requests/export?q=${more[0]}`)).text();
  expect(csv.trim().split("\r\n")).toHaveLength(2);
  expect(csv).toContain("Use the shared cluster");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/requests?q=${names[0]}`);
  await expect(requestRow(page, names[0])).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "/tmp/lists2-requests-phone.png", fullPage: true });
  await expectAccessible(page);
});

test("admin lists: users sorted and searched in the URL, exported; projects searched; cards on a phone", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/admin/users");
  await page.getByLabel("Search by e-mail or name").fill("orquestra.local");
  await expect(page).toHaveURL(/q=orquestra\.local/);
  const header = page.getByRole("columnheader", { name: /^Name/ });
  await expect(header).toHaveAttribute("aria-sort", "none");
  await header.getByRole("link").click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(page).toHaveURL(/q=orquestra\.local/);
  await expect(page.getByRole("columnheader", { name: /^Name/ })).toHaveAttribute("aria-sort", "ascending");
  const emails = page.locator("tr[data-user]");
  await expect(emails.first()).toBeVisible();
  const shown = await emails.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-user")));
  expect(shown.every((e) => e?.endsWith("orquestra.local"))).toBe(true);
  // Descending is the same rows the other way round (the database's collation decides the order).
  await page.getByRole("columnheader", { name: /^Name/ }).getByRole("link").click();
  await expect(page.getByRole("columnheader", { name: /^Name/ })).toHaveAttribute("aria-sort", "descending");
  await expect.poll(() => emails.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-user")))).toEqual([...shown].reverse());
  await expectAccessible(page);
  const csv = await (await page.request.get("/api/admin/users/export?q=orquestra.local&sort=email")).text();
  expect(csv.split("\r\n")[0]).toContain("id,email,name,role,status");
  expect(csv).toContain("alice@orquestra.local");

  await page.goto("/admin/projects");
  await page.getByRole("searchbox", { name: "Search projects by name" }).fill("Web Plat");
  await expect(page).toHaveURL(/q=Web\+Plat/);
  await expect(page.locator("tr[data-project]")).toHaveCount(1);
  await expect(page.locator("tr[data-project]")).toContainText("Web Platform");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/admin/users?q=orquestra.local");
  await expect(page.locator('tr[data-user="alice@orquestra.local"]')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "/tmp/lists2-users-phone.png", fullPage: true });
  await expectAccessible(page);
  await page.goto("/admin/approvals");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page);
});

/** Waits until React has hydrated `el`, so clicks reach the client-side handlers. */
async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

/** An API token of the signed-in user (created on /settings/tokens). */
async function apiToken(page: Page): Promise<Record<string, string>> {
  await page.goto("/settings/tokens");
  await hydrated(page.getByRole("button", { name: "Create token" }));
  await page.getByLabel("Name", { exact: true }).fill(unique("lists4"));
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Copy your new token now" });
  const box = dialog.getByLabel("New API token");
  await expect(box).toHaveValue(/\S{20,}/);
  const secret = await box.inputValue();
  await dialog.getByRole("button", { name: "I have copied it" }).click();
  return { Authorization: `Bearer ${secret}` };
}

test("projects and workloads: keyset pages past the first, CSV of every row (admins only for projects), cards on a phone", async ({ page, browser }) => {
  test.slow();
  const prefix = unique("kp");
  await login(page, "admin");
  const auth = await apiToken(page);
  // 21 projects (one more than a page), through the API.
  const projectIds: string[] = [];
  for (let i = 0; i < 21; i++) {
    const n = String(i).padStart(2, "0");
    const res = await page.request.post("/api/v1/admin/projects", {
      headers: auth,
      data: {
        name: `${prefix} ${n}`,
        slug: `${prefix}-${n}`,
        description: "",
        quotaVcpu: 64,
        quotaMemoryGib: 256,
        quotaDiskSsdGb: 100,
        quotaDiskHddGb: 100,
        quotaMachines: 10,
        monthlyBudget: "",
        autoApproveBelow: "",
        maxLeaseDays: null,
        leaseGraceDays: 7,
        disabledActions: [],
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    projectIds.push((await res.json()).id);
  }

  await page.goto(`/admin/projects?q=${prefix}&sort=name`);
  const projectRows = page.locator("tr[data-project]");
  await expect(projectRows).toHaveCount(20);
  await expect(projectRows.first()).toHaveAttribute("data-project", `${prefix} 00`);
  await expect(page.getByRole("link", { name: "First page" })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
  await expect(projectRows).toHaveCount(1);
  await expect(projectRows.first()).toHaveAttribute("data-project", `${prefix} 20`);
  await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
  await page.getByRole("link", { name: "First page" }).click();
  await expect(projectRows).toHaveCount(20);

  // The CSV holds every matching row, not only the page, in the list's order.
  const csv = await (await page.request.get(`/api/admin/projects/export?q=${prefix}&sort=name&dir=desc`)).text();
  const lines = csv.split("\r\n").filter(Boolean);
  expect(lines[0]).toContain("id,name,slug,status,members");
  expect(lines).toHaveLength(22);
  expect(lines[1]).toContain(`${prefix} 20`);
  expect(lines[21]).toContain(`${prefix} 00`);
  const link = page.getByRole("link", { name: "Download CSV" });
  await expect(link).toHaveAttribute("href", new RegExp(`^/api/admin/projects/export\\?q=${prefix}`));
  // A member is refused (403) before any CSV byte.
  const other = await browser.newPage();
  await login(other, "alice");
  const refused = await other.request.get(`/api/admin/projects/export?q=${prefix}`);
  expect(refused.status()).toBe(403);
  expect(await refused.text()).not.toContain(prefix);
  await other.close();

  // 21 workloads in the first new project, through the API.
  const offering = ((await (await page.request.get("/api/v1/offerings", { headers: auth })).json()).items as { id: string; name: string }[]).find((o) => o.name === "Small SSD")!;
  const provider = ((await (await page.request.get("/api/v1/admin/providers", { headers: auth })).json()).items as { id: string; name: string }[]).find((p) => p.name === "Simulator (local)")!;
  for (let i = 0; i < 21; i++) {
    const res = await page.request.post("/api/v1/workloads", {
      headers: auth,
      data: { projectId: projectIds[0], name: `${prefix}-w${String(i).padStart(2, "0")}`, image: "localhost/busybox:latest", replicas: 1, offeringId: offering.id, providerId: provider.id },
    });
    expect(res.status(), await res.text()).toBe(202);
  }
  await page.goto(`/workloads?q=${prefix}&sort=name`);
  const workloadRows = page.locator("tr[data-workload]");
  await expect(workloadRows).toHaveCount(20);
  await expect(workloadRows.first()).toHaveAttribute("data-workload", `${prefix}-w00`);
  await expectAccessible(page);
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(workloadRows).toHaveCount(1);
  await expect(workloadRows.first()).toHaveAttribute("data-workload", `${prefix}-w20`);
  // The page polls the page it shows: it stays one row, and the workload becomes Running.
  await expect(workloadRows.first()).toContainText("Running", { timeout: 45_000 });
  await expect(workloadRows).toHaveCount(1);
  const wcsv = (await (await page.request.get(`/api/workloads/export?q=${prefix}&sort=name`)).text()).split("\r\n").filter(Boolean);
  expect(wcsv[0]).toContain("id,name,state,project");
  expect(wcsv).toHaveLength(22);
  expect(wcsv[1]).toContain(`${prefix}-w00`);

  // On a phone: cards, no sideways scrolling, the pager still there.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, shot] of [
    [`/admin/projects?q=${prefix}&sort=name`, "/tmp/lists4-projects-phone.png"],
    [`/workloads?q=${prefix}&sort=name`, "/tmp/lists4-workloads-phone.png"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("link", { name: "Next page" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: shot, fullPage: true });
    await expectAccessible(page);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/admin/projects?q=${prefix}&sort=name`);
  await page.screenshot({ path: "/tmp/lists4-projects-desktop.png", fullPage: true });
});

test("machines: the project filter lists every project once, in the page and not again in its payload", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/machines");
  const filter = page.getByRole("search", { name: "Filter machines" });
  const projects = await filter.getByLabel("Project").locator("option").allTextContents();
  expect(projects[0]).toBe("All projects");
  expect(projects).toContain("Web Platform");
  expect(projects).toContain("Internal Tools");
  // Choosing one filters the list (kept in the URL), as before.
  await filter.getByLabel("Project").selectOption({ label: "Web Platform" });
  await expect(page).toHaveURL(/projectId=/);
  const shown = page.locator("tr[data-machine]");
  if ((await shown.count()) > 0) for (const text of await shown.allTextContents()) expect(text).toContain("Web Platform");
  // What the server sends: each project is an <option> of the HTML once, and the server
  // component payload carries the choices as one array, not an element per option, nor the
  // list again in the table's data (1,000 projects made 300 of the admin page's 400 KB).
  const html = await (await page.request.get("/machines")).text();
  const payload = [...html.matchAll(/<script[^>]*>self\.__next_f\.push\(([\s\S]*?)\)<\/script>/g)].map((m) => m[1]).join("");
  const webId = await filter.getByLabel("Project").locator("option", { hasText: "Web Platform" }).getAttribute("value");
  expect(webId).toMatch(/^[0-9a-f-]{36}$/);
  expect(html.split(`<option value="${webId}"`).length - 1).toBe(1);
  expect(payload).not.toContain(`\\"option\\",\\"${webId}\\"`);
  // Machines carry their projectId; the project as a {id, name} entry of the data is gone.
  expect(payload).not.toContain(`{\\"id\\":\\"${webId}\\",\\"name\\":\\"Web Platform\\"}`);
  expect(payload).toContain(`\\"projects\\":[]`);
});
