import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { Locator, Page } from "@playwright/test";
import { expect, expectAccessible, login, logout, test, unique } from "./fixtures";

// A machine on Amazon EC2 (moto, started by e2e/global-setup.ts), through the browser only: an
// administrator registers the region through the provider form (no JSON), tests it, discovers
// its host, maps an offering to an instance type and a template to an AMI, and lets a project
// use it; a member requests a machine there, sees it running, stops it and deletes it; the
// provider, with nothing left on it, is deleted. moto is asked at each step what really exists.

const env = (k: string) => process.env[k] ?? "";

async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

function ec2() {
  return new EC2Client({
    region: env("ORQ_EC2_REGION"),
    endpoint: env("ORQ_EC2_URL"),
    credentials: { accessKeyId: env("ORQ_EC2_ACCESS_KEY_ID"), secretAccessKey: env("ORQ_EC2_SECRET_ACCESS_KEY") },
  });
}

/** The instances moto holds for an Orquestra machine id (by its ownership tag). */
async function instancesOf(machineId: string) {
  const client = ec2();
  try {
    const out = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:orquestra:machine-id", Values: [machineId] }] }));
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  } finally {
    client.destroy();
  }
}

async function setProjectProviders(page: Page, project: string, tick: string[], defaultName: string | null) {
  await page.goto("/admin/projects");
  await page.getByRole("link", { name: project, exact: true }).click();
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Providers" }) });
  await hydrated(section.getByRole("button", { name: "Save providers" }));
  for (const box of await section.getByRole("checkbox").all()) await box.uncheck();
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const name of tick) await section.getByRole("checkbox", { name: new RegExp(`^${escape(name)} `) }).check();
  await section.getByLabel("Default provider").selectOption(defaultName ? { label: defaultName } : { value: "" });
  await section.getByRole("button", { name: "Save providers" }).click();
  await expect(page.getByText(/Providers saved\.|Nothing changed\./)).toBeVisible();
}

test("a machine is requested on Amazon EC2 through the browser, runs, stops and is deleted; then the provider is deleted", async ({ page }) => {
  test.skip(Boolean(process.env.ORQ_E2E_EC2_SKIP), process.env.ORQ_E2E_EC2_SKIP ?? "");
  test.setTimeout(180_000);
  const providerName = unique("EC2 e2e");
  const machine = unique("cloud");

  // ---- The administrator registers the region with the provider form's fields.
  await login(page, "admin");
  await page.goto("/admin/providers/new");
  await hydrated(page.getByRole("button", { name: "Create provider" }));
  await page.getByLabel("Kind").selectOption({ label: "Amazon EC2" });
  await page.getByLabel("Name").fill(providerName);
  await page.getByLabel("Endpoint").fill(env("ORQ_EC2_URL"));
  await page.getByLabel("Access key ID").fill(env("ORQ_EC2_ACCESS_KEY_ID"));
  await page.getByLabel("Secret access key").fill(env("ORQ_EC2_SECRET_ACCESS_KEY"));
  // A wrong region is refused on its own field, in words.
  await page.getByLabel("Region (required)").fill("Ireland");
  await page.getByLabel("vCPU quota (required)").fill("32");
  await page.getByRole("button", { name: "Create provider" }).click();
  await expect(page.getByText("Use a region name such as eu-west-1 (AWS) or westeurope (Azure).")).toBeVisible();
  await expect(page.getByLabel("Region (required)")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await page.getByLabel("Region (required)").fill(env("ORQ_EC2_REGION"));
  await page.getByLabel("Subnet").fill(env("ORQ_EC2_SUBNET"));
  await page.getByLabel("Security groups").fill(env("ORQ_EC2_SECURITY_GROUP"));
  await page.getByLabel("Key pair").fill(env("ORQ_EC2_KEY_NAME"));
  await page.getByRole("button", { name: "Create provider" }).click();
  await expect(page).toHaveURL(/\/admin\/providers\/[0-9a-f-]{36}$/);
  const providerUrl = page.url();

  // ---- Test connection, discover the region's host.
  await hydrated(page.getByRole("button", { name: "Test connection" }));
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(`Connected: EC2 ${env("ORQ_EC2_REGION")}`)).toBeVisible();
  await page.getByRole("button", { name: "Discover hosts" }).click();
  await expect(page.getByText("1 new host")).toBeVisible();

  // ---- Offering sizes: the provider's instance types, the closest suggested.
  const sizes = page.locator("section", { has: page.getByRole("heading", { name: "Offering sizes" }) });
  await expect(sizes.getByText(/The provider offers \d+ sizes here\./)).toBeVisible();
  await expect(sizes.getByRole("button", { name: /^Use \S+ for Small SSD$/ })).toBeVisible();
  await sizes.getByLabel("Size for Small SSD").fill("t3.small");
  await expect(sizes.getByLabel("Size for Small SSD")).toHaveAccessibleDescription("2 vCPU, 2 GiB");
  await expectAccessible(page);
  await sizes.getByRole("button", { name: "Save sizes" }).click();
  await expect(page.getByText("Offering sizes saved.")).toBeVisible();

  // ---- The template's AMI on this provider.
  await page.goto("/admin/templates");
  await page.getByRole("row").filter({ hasText: "Ubuntu 24.04 LTS" }).getByRole("link", { name: /Edit/ }).click();
  await hydrated(page.getByRole("button", { name: "Save references" }));
  await page.getByLabel(`Reference on ${providerName}`).fill(env("ORQ_EC2_AMI"));
  await page.getByRole("button", { name: "Save references" }).click();
  await expect(page.getByText("Provider references saved.")).toBeVisible();

  // ---- Web Platform may use the simulator (its default) and this region.
  await setProjectProviders(page, "Web Platform", ["Simulator (local)", providerName], "Simulator (local)");
  await logout(page);

  // ---- Alice asks for a machine on EC2 (Web Platform approves Small SSD automatically).
  await login(page, "alice");
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await hydrated(page.getByRole("button", { name: "Submit request" }));
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await page.getByLabel("OS template").selectOption({ label: "Ubuntu 24.04 LTS" });
  const placement = page.getByLabel("Placement", { exact: true });
  await expect(placement).toHaveValue("AUTO");
  await expect(page.getByTestId("placement-serving")).toContainText(providerName);
  await expect(page.getByTestId("placement-serving")).toContainText("Simulator (local) is tried first");
  await placement.selectOption({ label: `${providerName} (Amazon EC2)` });
  await expect(page.getByTestId("placement-serving")).toHaveText(`Can serve this choice: ${providerName}.`);
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Machine name").fill(machine);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests/);

  await page.goto("/machines");
  await page.getByRole("link", { name: machine, exact: true }).click();
  await expect(page).toHaveURL(/\/machines\/[0-9a-f-]{36}$/);
  const machineId = page.url().split("/").pop()!;
  const state = page.locator("#machine-state");
  await expect(state).toHaveText(/Running/, { timeout: 60_000 });
  await expect(page.getByText(`${providerName} (Amazon EC2)`)).toBeVisible();
  // moto holds one running t3.small for this machine, from the AMI, tagged with its ids.
  const [running] = await instancesOf(machineId);
  expect(running).toMatchObject({ InstanceType: "t3.small", ImageId: env("ORQ_EC2_AMI"), SubnetId: env("ORQ_EC2_SUBNET"), State: { Name: "running" } });
  expect(running.Tags).toEqual(expect.arrayContaining([{ Key: "Name", Value: machine }]));

  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await expect(state).toHaveText(/Stopped/, { timeout: 30_000 });
  expect((await instancesOf(machineId))[0].State?.Name).toBe("stopped");

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(`Type ${machine} to confirm`).fill(machine);
  await dialog.getByRole("button", { name: "Delete machine" }).click();
  await expect(state).toHaveText(/Deleted/, { timeout: 30_000 });
  expect((await instancesOf(machineId))[0].State?.Name).toBe("terminated");
  await logout(page);

  // ---- Nothing runs on the provider any more: it can be deleted (the project's list is reset first).
  await login(page, "admin");
  await setProjectProviders(page, "Web Platform", [], null);
  await page.goto(providerUrl);
  await page.getByRole("button", { name: `Delete provider ${providerName}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/admin\/providers$/);
  await expect(page.getByText(providerName)).toHaveCount(0);
});
