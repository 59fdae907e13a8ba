// Webhooks and notification preferences in the browser: an administrator allows loopback, an
// approver subscribes a receiver started here on 127.0.0.1, a request by alice is delivered
// signed, the log shows it, and a redelivery reaches the receiver again with the same event id.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Locator, Page } from "@playwright/test";
import { expectAccessible, login, logout, unique, expect, test } from "./fixtures";

/** Waits until React has hydrated `el`, so clicks reach the client-side handlers. */
async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

/** The README's verification, as a receiver would write it. */
function verify(secret: string, header: string, rawBody: string, now = Date.now() / 1000) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now - t) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Received {
  eventId: string;
  type: string;
  verified: boolean;
  body: { id: string; type: string; data: Record<string, unknown> };
}

/** A receiver on loopback: answers 204 to a valid signature and 401 otherwise. */
async function startReceiver(getSecret: () => string | null) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const secret = getSecret();
      const verified = !!secret && verify(secret, String(req.headers["orquestra-signature"] ?? ""), raw);
      const body = JSON.parse(raw) as Received["body"];
      received.push({ eventId: body.id, type: body.type, verified, body });
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { received, url: `http://127.0.0.1:${port}/orquestra-hook`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function requestMachine(page: Page, name: string) {
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Medium SSD" }).click();
  await expect(page).toHaveURL(/\/catalog\/.+\/request/);
  await page.getByLabel("Project").selectOption({ label: "Internal Tools" });
  await page.getByLabel("OS template").selectOption({ label: "Debian 12" });
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Machine name").fill(name);
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests/);
}

test("an approver subscribes a loopback receiver once allowed; deliveries are signed, logged and redelivered", async ({ page }) => {
  test.setTimeout(180_000);
  let secret: string | null = null;
  const receiver = await startReceiver(() => secret);
  try {
    // The administrator starts from the default policy (an empty allow-list: a retry of this
    // test finds it set), where loopback is refused with the reason in plain words on the field.
    await login(page, "admin");
    await page.goto("/admin/integrations");
    const save = page.getByRole("button", { name: "Save ranges" });
    await hydrated(save);
    const ranges = page.getByLabel("Private address ranges webhooks may reach");
    await ranges.fill("");
    await save.click();
    await expect(page.getByText("Allowed ranges saved")).toBeVisible();
    await ranges.fill("not-a-range");
    await save.click();
    await expect(page.locator("#allowed-networks-error")).toHaveText("Enter address ranges such as 10.20.0.0/16 or fd00::/8.");

    await page.goto("/webhooks");
    const add = page.getByRole("button", { name: "Add webhook" });
    await hydrated(add);
    await page.getByLabel("Project").selectOption({ label: "Internal Tools" });
    await page.getByLabel("Receiver URL").fill(receiver.url);
    await page.getByRole("checkbox", { name: /Request created/ }).check();
    await add.click();
    await expect(page.locator("#webhook-url-error")).toHaveText("The host resolves to a loopback address, which webhooks may not reach.");
    await expect(page.getByLabel("Receiver URL")).toHaveAttribute("aria-invalid", "true");
    // Credentials in the URL are refused too.
    await page.getByLabel("Receiver URL").fill(receiver.url.replace("http://", "http://user:pw@"));
    await add.click();
    await expect(page.locator("#webhook-url-error")).toContainText("Leave user names and passwords out of the URL");
    await expectAccessible(page);

    // The administrator allows loopback on Administration -> Integrations.
    await page.goto("/admin/integrations");
    await hydrated(page.getByRole("button", { name: "Save ranges" }));
    await page.getByLabel("Private address ranges webhooks may reach").fill("127.0.0.0/8");
    await page.getByRole("button", { name: "Save ranges" }).click();
    await expect(page.getByText("Allowed ranges saved")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Private address ranges webhooks may reach")).toHaveValue("127.0.0.0/8");
    await expectAccessible(page);
    await logout(page);

    // The approver subscribes; the secret is shown once.
    const description = unique("receiver");
    await login(page, "approver");
    await page.goto("/webhooks");
    await hydrated(page.getByRole("button", { name: "Add webhook" }));
    await page.getByLabel("Project").selectOption({ label: "Internal Tools" });
    await page.getByLabel("Receiver URL").fill(receiver.url);
    await page.getByRole("checkbox", { name: /Request created/ }).check();
    await page.getByLabel("Description").fill(description);
    await page.getByRole("button", { name: "Add webhook" }).click();
    const secretBox = page.getByTestId("webhook-secret");
    await expect(secretBox).toHaveValue(/^whsec_[A-Za-z0-9_-]{43}$/);
    secret = await secretBox.inputValue();
    await expectAccessible(page);
    await page.getByRole("button", { name: "I have copied it" }).click();
    const row = page.getByRole("row").filter({ hasText: description });
    await expect(row).toContainText("Enabled");
    await row.getByRole("link").click();
    await expect(page).toHaveURL(/\/webhooks\/[0-9a-f-]{36}$/);
    const detailUrl = page.url();
    await expect(page.getByText("No deliveries yet")).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    await logout(page);

    // An event of the project: alice submits a request.
    const machine = unique("hooked");
    await login(page, "alice");
    await requestMachine(page, machine);
    await logout(page);
    await expect.poll(() => receiver.received.filter((r) => r.type === "request.created").length, { timeout: 60_000 }).toBe(1);
    const first = receiver.received[0];
    expect(first.verified).toBe(true);
    expect(JSON.stringify(first.body.data)).toContain(machine);

    // The log shows the delivery with its response; redeliver sends the same event again.
    await login(page, "approver");
    await page.goto(detailUrl);
    const log = page.getByRole("table", { name: "Deliveries, newest first" });
    await expect(log.getByRole("row").nth(1)).toContainText("Delivered");
    await expect(log.getByRole("row").nth(1)).toContainText("204");
    await expect(log.getByRole("row").nth(1)).toContainText("request.created");
    await expectAccessible(page);
    const redeliver = log.getByRole("button", { name: /^Redeliver event request\.created/ });
    await hydrated(redeliver);
    await redeliver.click();
    await expect(page.getByText("Delivery queued again")).toBeVisible();
    // The page polls: the redelivery appears and turns Delivered without a reload.
    await expect(log.getByRole("row")).toHaveCount(3, { timeout: 60_000 });
    await expect(log.getByRole("row").nth(1)).toContainText("redelivery");
    await expect(log.getByRole("row").nth(1)).toContainText("Delivered", { timeout: 60_000 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].eventId).toBe(first.eventId);
    expect(receiver.received[1].verified).toBe(true);

    // Rotating the secret: the old one no longer verifies, the new one does.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    const rotated = page.getByTestId("webhook-secret");
    await expect(rotated).toHaveValue(/^whsec_/);
    const newSecret = await rotated.inputValue();
    expect(newSecret).not.toBe(secret);
    await page.getByRole("button", { name: "I have copied it" }).click();
    await log.getByRole("button", { name: /^Redeliver event/ }).first().click();
    await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBe(3);
    expect(receiver.received[2].verified).toBe(false); // the receiver still holds the old secret
    await expect(log.getByRole("row").nth(1)).toContainText("401", { timeout: 60_000 });
    secret = newSecret;

    // Disable, then delete with a confirmation.
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    await expect(page.getByText("Webhook disabled")).toBeVisible();
    await expect(page.getByRole("button", { name: "Enable", exact: true })).toBeVisible();
    await page.getByRole("button", { name: `Delete webhook ${receiver.url}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole("row").filter({ hasText: description })).toHaveCount(0);
  } finally {
    await receiver.close();
  }
});

test("notification preferences: a channel changed on Settings -> Notifications persists", async ({ page }) => {
  await login(page, "bob");
  await page.getByRole("link", { name: "Notification settings" }).first().click();
  await expect(page).toHaveURL(/\/settings\/notifications$/);
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  const select = page.getByLabel("Where “A machine is ready” goes");
  await hydrated(select);
  // This server has no SMTP: e-mail choices say so and cannot be picked.
  await expect(page.getByText("E-mail is not configured on this portal")).toBeVisible();
  await expect(select.locator('option[value="EMAIL"]')).toBeDisabled();
  await select.selectOption("IN_APP");
  await page.getByLabel("Where “A backup failed” goes").selectOption("NONE");
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByText("Notification preferences saved")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Where “A machine is ready” goes")).toHaveValue("IN_APP");
  await expect(page.getByLabel("Where “A backup failed” goes")).toHaveValue("NONE");
  await expect(page.getByLabel("Where “A request waits for my approval” goes")).toHaveValue("BOTH");
  await expectAccessible(page);
});
