// A scripted local vCenter for unit tests of the vim25 client and its session pool: answers
// RetrieveServiceContent, Login (password "s3cr&t") and Logout like vCenter, NotAuthenticated
// without a live session cookie, and whatever the handler scripts. Listens
// on 127.0.0.1 only; close it with closeFakeVcenters() after each test.
import http from "node:http";
import net from "node:net";

const NS =
  'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
export const wrap = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope ${NS}><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
export const fault = (type: string, msg = "") =>
  wrap(`<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${msg}</faultstring><detail><${type}Fault xmlns="urn:vim25" xsi:type="${type}"></${type}Fault></detail></soapenv:Fault>`);
export const ok = (method: string, inner = "") => wrap(`<${method}Response xmlns="urn:vim25">${inner}</${method}Response>`);

const SERVICE_CONTENT = ok(
  "RetrieveServiceContent",
  '<returnval><rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>' +
    '<viewManager type="ViewManager">ViewManager</viewManager><about><fullName>VMware vCenter Server 8.0.2</fullName><version>8.0.2</version></about>' +
    '<sessionManager type="SessionManager">SessionManager</sessionManager></returnval>',
);

export interface Seen {
  method: string;
  cookie?: string;
  soapAction?: string;
  userAgent?: string;
  body: string;
}

export type Handler = (method: string, body: string, seen: Seen[]) => { status?: number; body: string; cookie?: string } | undefined;

const servers: http.Server[] = [];

export async function closeFakeVcenters(): Promise<void> {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
}

export async function fakeVcenter(handler: Handler): Promise<{ url: string; seen: Seen[]; sessions: Set<string> }> {
  const seen: Seen[] = [];
  const sessions = new Set<string>();
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const method = /<soapenv:Body><(\w+)/.exec(body)?.[1] ?? "?";
      const cookie = /vmware_soap_session=([^;]+)/.exec(String(req.headers.cookie ?? ""))?.[1];
      seen.push({ method, cookie, soapAction: String(req.headers.soapaction ?? ""), userAgent: req.headers["user-agent"], body });
      const custom = handler(method, body, seen);
      let out = custom;
      if (!out) {
        if (method === "RetrieveServiceContent") out = { body: SERVICE_CONTENT };
        else if (method === "Login") {
          if (!body.includes("<password>s3cr&amp;t</password>")) out = { status: 500, body: fault("InvalidLogin", "Cannot complete login due to an incorrect user name or password.") };
          else {
            const id = `"sess-${++n}"`;
            sessions.add(id);
            out = { body: ok("Login", "<returnval><key>k</key></returnval>"), cookie: `vmware_soap_session=${id}; Path=/; HttpOnly; Secure` };
          }
        } else if (!cookie || !sessions.has(cookie)) out = { status: 500, body: fault("NotAuthenticated") };
        else if (method === "Logout") {
          sessions.delete(cookie);
          out = { body: ok(method) };
        } else out = { body: ok(method) };
      }
      const headers: Record<string, string> = { "content-type": "text/xml; charset=utf-8" };
      if (out.cookie) headers["set-cookie"] = out.cookie;
      res.writeHead(out.status ?? 200, headers);
      res.end(out.body);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/sdk`, seen, sessions };
}

