// The session half of the vim25 client against a scripted local SOAP server: the session
// cookie, a new login when the server forgets the session, property collector paging, task
// following, and that the password never appears in errors or in the client's own fields.
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { closeFakeVcenters, fakeVcenter, ok } from "../../../test/fake-vcenter";
import { DriverError } from "../types";
import { parseSetCookies, VimClient } from "./client";
import { VsphereDriver } from "./vsphere-driver";

afterEach(closeFakeVcenters);

const client = (url: string, password = "s3cr&t", keepAliveMs = 0) =>
  new VimClient({ url, username: "admin@vsphere.local", password, insecure: false, apiVersion: "6.5", keepAliveMs });

describe("vim25 client sessions", () => {
  it("logs in once, sends the session cookie and the SOAPAction version", async () => {
    const vc = await fakeVcenter(() => undefined);
    const c = client(vc.url);
    const sc = await c.ensureSession(AbortSignal.timeout(5_000));
    await c.call("CurrentTime", { type: "ServiceInstance", value: "ServiceInstance" }, {}, AbortSignal.timeout(5_000), "ping");
    await c.call("CurrentTime", { type: "ServiceInstance", value: "ServiceInstance" }, {}, AbortSignal.timeout(5_000), "ping");
    expect(sc.about.fullName).toBe("VMware vCenter Server 8.0.2");
    expect(vc.seen.map((s) => s.method)).toEqual(["RetrieveServiceContent", "Login", "CurrentTime", "CurrentTime"]);
    expect(vc.seen.filter((s) => s.method === "CurrentTime").every((s) => s.cookie === '"sess-1"')).toBe(true);
    expect(vc.seen[0].soapAction).toBe("urn:vim25/6.5");
    await c.close();
    expect(vc.seen.at(-1)?.method).toBe("Logout");
  });

  it("logs in again when the server has forgotten the session (NotAuthenticated), once", async () => {
    const vc = await fakeVcenter(() => undefined);
    const c = client(vc.url);
    await c.ensureSession(AbortSignal.timeout(5_000));
    vc.sessions.clear(); // the server expired every session
    await c.call("CurrentTime", { type: "ServiceInstance", value: "ServiceInstance" }, {}, AbortSignal.timeout(5_000), "ping");
    expect(vc.seen.map((s) => s.method)).toEqual(["RetrieveServiceContent", "Login", "CurrentTime", "Login", "CurrentTime"]);
    expect(vc.seen.at(-1)?.cookie).toBe('"sess-2"');
    await c.close();
  });

  it("keeps the session alive with CurrentTime", async () => {
    const vc = await fakeVcenter(() => undefined);
    const c = client(vc.url, "s3cr&t", 50);
    await c.ensureSession(AbortSignal.timeout(5_000));
    await vi.waitFor(() => expect(vc.seen.filter((s) => s.method === "CurrentTime").length).toBeGreaterThanOrEqual(2), { timeout: 5_000, interval: 20 });
    expect(vc.seen.filter((s) => s.method === "CurrentTime").every((s) => s.cookie === '"sess-1"')).toBe(true);
    await c.close();
    // Stopped by close (a request already on its way may still land first).
    await new Promise((r) => setTimeout(r, 150));
    const after = vc.seen.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(vc.seen.length).toBe(after);
  });

  it("a wrong password is AUTH, not retryable, and the password appears nowhere", async () => {
    const vc = await fakeVcenter(() => undefined);
    const driver = new VsphereDriver({ providerId: "p", endpoint: vc.url, credentials: { username: "u", password: "Wr0ng-Pa55word" }, config: { keepAliveSeconds: 0 } });
    const err = await driver.testConnection({ signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect(err).toMatchObject({ code: "AUTH", retryable: false });
    expect(String((err as Error).message) + String((err as Error).stack)).not.toContain("Wr0ng-Pa55word");
    expect(inspect(driver, { depth: 10 })).not.toContain("Wr0ng-Pa55word");
    expect(JSON.stringify(driver)).not.toContain("Wr0ng-Pa55word");
    await driver.close();
  });

  it("follows ContinueRetrievePropertiesEx tokens", async () => {
    const page = (name: string, token?: string) =>
      ok(
        "RetrievePropertiesEx",
        `<returnval>${token ? `<token>${token}</token>` : ""}<objects><obj type="VirtualMachine">${name}</obj><propSet><name>name</name><val xsi:type="xsd:string">${name}</val></propSet></objects></returnval>`,
      ).replace(/RetrievePropertiesExResponse/g, token === "t2" || !token ? "ContinueRetrievePropertiesExResponse" : "RetrievePropertiesExResponse");
    const vc = await fakeVcenter((method, body) => {
      if (method === "RetrievePropertiesEx") return { body: page("vm-1", "t1") };
      if (method === "ContinueRetrievePropertiesEx" && body.includes("<token>t1</token>")) return { body: page("vm-2", "t2") };
      if (method === "ContinueRetrievePropertiesEx" && body.includes("<token>t2</token>")) return { body: page("vm-3") };
      return undefined;
    });
    const c = client(vc.url);
    const objs = await c.retrieve([], AbortSignal.timeout(5_000), "list");
    expect(objs.map((o) => o.obj.value)).toEqual(["vm-1", "vm-2", "vm-3"]);
    await c.close();
  });

  it("follows a task to its error and maps the fault; a task that never ends times out", async () => {
    let polls = 0;
    const vc = await fakeVcenter((method, body) => {
      if (method === "PowerOnVM_Task") return { body: ok(method, '<returnval type="Task">task-1</returnval>') };
      if (method === "PowerOffVM_Task") return { body: ok(method, '<returnval type="Task">task-2</returnval>') };
      if (method === "RetrievePropertiesEx" && body.includes("task-1")) {
        polls++;
        const info =
          polls < 3
            ? '<propSet><name>info.state</name><val xsi:type="TaskInfoState">running</val></propSet>'
            : '<propSet><name>info.state</name><val xsi:type="TaskInfoState">error</val></propSet><propSet><name>info.error</name><val xsi:type="LocalizedMethodFault"><fault xsi:type="InsufficientCpuResourcesFault"></fault><localizedMessage>Insufficient CPU resources.</localizedMessage></val></propSet>';
        return { body: ok(method, `<returnval><objects><obj type="Task">task-1</obj>${info}</objects></returnval>`) };
      }
      if (method === "RetrievePropertiesEx" && body.includes("task-2")) {
        return {
          body: ok(method, '<returnval><objects><obj type="Task">task-2</obj><propSet><name>info.state</name><val xsi:type="TaskInfoState">running</val></propSet></objects></returnval>'),
        };
      }
      return undefined;
    });
    const c = client(vc.url);
    const vm = { type: "VirtualMachine", value: "vm-1" };
    const err = await c.runTask("PowerOnVM_Task", vm, {}, AbortSignal.timeout(5_000), "power on").catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "CAPACITY", message: expect.stringContaining("Insufficient CPU resources.") });
    expect(polls).toBe(3);
    const t0 = performance.now();
    const slow = await c.runTask("PowerOffVM_Task", vm, {}, AbortSignal.timeout(400), "power off").catch((e: unknown) => e);
    expect(slow).toMatchObject({ code: "TIMEOUT", retryable: true });
    expect(performance.now() - t0).toBeLessThan(1_500);
    await c.close();
  });

  it("an HTML error page is PROVIDER, a 503 is UNAVAILABLE", async () => {
    const vc = await fakeVcenter((method) => (method === "RetrieveServiceContent" ? { status: 503, body: "Service Unavailable" } : undefined));
    const err = await client(vc.url).serviceContent(AbortSignal.timeout(5_000)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "UNAVAILABLE", retryable: true });
    const vc2 = await fakeVcenter(() => ({ status: 200, body: "<html><body>Welcome to nginx</body></html>" }));
    const err2 = await client(vc2.url).serviceContent(AbortSignal.timeout(5_000)).catch((e: unknown) => e);
    expect(err2).toMatchObject({ code: "PROVIDER", retryable: false });
  });

  it("parses Set-Cookie headers", () => {
    expect(parseSetCookies(['vmware_soap_session="abc=="; Path=/; HttpOnly', "other=1"])).toEqual({ vmware_soap_session: '"abc=="', other: "1" });
  });
});
