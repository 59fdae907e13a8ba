// The API reference: rendered on the server from the same OpenAPI document that
// /api/v1/openapi.json serves (no client-side viewer, no external assets).
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { fieldRows, typeText } from "./schema-text";

export async function generateMetadata() {
  const t = await getTranslations("api.docs");
  return { title: t("title") };
}

type Node = Record<string, unknown>;
interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters: Node[];
  requestBody?: { content: { "application/json": { schema: Node } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: Node } } }>;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

export default async function ApiDocsPage() {
  const t = await getTranslations("api.docs");
  const doc = buildOpenApiDocument();
  const schemas = doc.components.schemas as Record<string, Node>;
  const params = doc.components.parameters as Record<string, Node>;
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  const tags = doc.tags.map((tag) => tag.name);
  const example = `curl -H "Authorization: Bearer $ORQ_TOKEN" \\\n     ${"<portal>"}/api/v1/machines`;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Link href="/settings/tokens" className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline">
            {t("manageTokens")}
          </Link>
        }
      />
      <div className="space-y-8">
        <Card aria-labelledby="getting-started">
          <CardHeader>
            <h2 id="getting-started" className="text-base font-semibold">
              {t("gettingStarted")}
            </h2>
          </CardHeader>
          <CardBody className="space-y-3 text-sm text-slate-800">
            <ol className="list-decimal space-y-1 pl-5">
              <li>{t("step1")}</li>
              <li>{t("step2")}</li>
              <li>{t("step3")}</li>
            </ol>
            <p className="font-medium">{t("example")}</p>
            <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
              <code>{example}</code>
            </pre>
            <p>
              <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 underline underline-offset-2">
                {t("openapi")}
              </a>{" "}
              <span className="text-slate-600">{t("openapiHint")}</span>
            </p>
            <h3 className="pt-2 font-semibold">{t("errorShape")}</h3>
            <p>{t("errorShapeText")}</p>
            <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
              <code>{`{ "error": { "code": "VALIDATION", "message": "Some fields are invalid",\n  "details": { "fields": { "quantity": ["Enter a whole number from 1 to 20."] },\n               "fieldKeys": { "quantity": ["requests.errors.quantityRange"] } },\n  "correlationId": "…" } }`}</code>
            </pre>
          </CardBody>
        </Card>

        <nav aria-labelledby="api-toc">
          <h2 id="api-toc" className="mb-2 text-base font-semibold">
            {t("onThisPage")}
          </h2>
          <p className="mb-2 text-sm text-slate-600">{t("referenceLanguage")}</p>
          <ul lang="en" className="flex flex-wrap gap-2 text-sm">
            {tags.map((tag) => (
              <li key={tag}>
                <a href={`#tag-${slug(tag)}`} className="rounded-md border border-slate-300 bg-white px-3 py-1 font-medium text-slate-800 hover:bg-slate-50">
                  {tag}
                </a>
              </li>
            ))}
          </ul>
        </nav>

        {tags.map((tag) => (
          <section key={tag} aria-labelledby={`tag-${slug(tag)}`} className="space-y-4">
            <h2 id={`tag-${slug(tag)}`} lang="en" className="text-xl font-semibold text-slate-900">
              {tag}
            </h2>
            {ops
              .filter((o) => o.op.tags.includes(tag))
              .map(({ path, method, op }) => {
                const parameters = op.parameters.map((p) => (typeof p.$ref === "string" ? params[p.$ref.split("/").pop()!] : p));
                const body = op.requestBody?.content["application/json"].schema;
                const bodyRows = fieldRows(body, schemas);
                return (
                  <Card key={op.operationId} id={op.operationId} aria-labelledby={`${op.operationId}-title`}>
                    <CardHeader className="space-y-1">
                      <h3 id={`${op.operationId}-title`} className="flex flex-wrap items-center gap-2 font-mono text-sm">
                        <Badge tone={method === "GET" ? "blue" : "green"}>{method}</Badge>
                        <span className="break-all text-slate-900">/api/v1{path}</span>
                      </h3>
                      <p lang="en" className="text-sm font-medium text-slate-900">
                        {op.summary}
                      </p>
                      {op.description ? (
                        <p lang="en" className="text-sm text-slate-600">
                          {op.description}
                        </p>
                      ) : null}
                    </CardHeader>
                    <CardBody className="space-y-4">
                      <div>
                        <h4 className="mb-2 text-sm font-semibold">{t("parameters")}</h4>
                        {parameters.length === 0 ? (
                          <p className="text-sm text-slate-600">{t("noParameters")}</p>
                        ) : (
                          <Table aria-label={`${t("parameters")}: ${method} ${path}`}>
                            <thead>
                              <tr>
                                <Th>{t("name")}</Th>
                                <Th>{t("in")}</Th>
                                <Th>{t("type")}</Th>
                                <Th>{t("required")}</Th>
                              </tr>
                            </thead>
                            <tbody className="divide-y divide-slate-100">
                              {parameters.map((p) => (
                                <tr key={`${p.in}-${p.name}`}>
                                  <Td className="font-mono text-xs">{String(p.name)}</Td>
                                  <Td>{String(p.in)}</Td>
                                  <Td className="font-mono text-xs">{typeText(p.schema as Node, schemas)}</Td>
                                  <Td>{p.required ? t("yes") : t("no")}</Td>
                                </tr>
                              ))}
                            </tbody>
                          </Table>
                        )}
                      </div>
                      {bodyRows.length ? (
                        <div>
                          <h4 className="mb-2 text-sm font-semibold">{t("body")}</h4>
                          <Table aria-label={`${t("body")}: ${method} ${path}`}>
                            <thead>
                              <tr>
                                <Th>{t("name")}</Th>
                                <Th>{t("type")}</Th>
                                <Th>{t("required")}</Th>
                              </tr>
                            </thead>
                            <tbody className="divide-y divide-slate-100">
                              {bodyRows.map((f) => (
                                <tr key={f.name}>
                                  <Td className="font-mono text-xs">{f.name}</Td>
                                  <Td className="font-mono text-xs">{f.type}</Td>
                                  <Td>{f.required ? t("yes") : t("no")}</Td>
                                </tr>
                              ))}
                            </tbody>
                          </Table>
                        </div>
                      ) : null}
                      <div>
                        <h4 className="mb-2 text-sm font-semibold">{t("responses")}</h4>
                        <Table aria-label={`${t("responses")}: ${method} ${path}`}>
                          <thead>
                            <tr>
                              <Th>{t("status")}</Th>
                              <Th>{t("meaning")}</Th>
                            </tr>
                          </thead>
                          <tbody className="divide-y divide-slate-100">
                            {Object.entries(op.responses).map(([status, r]) => (
                              <tr key={status}>
                                <Td className="font-mono text-xs">{status}</Td>
                                <Td lang="en">
                                  {r.description}
                                  {status.startsWith("2") && r.content ? (
                                    <span className="mt-1 block font-mono text-xs text-slate-600">
                                      {fieldRows(r.content["application/json"].schema, schemas)
                                        .map((f) => `${f.name}: ${f.type}`)
                                        .join(" · ")}
                                    </span>
                                  ) : null}
                                </Td>
                              </tr>
                            ))}
                          </tbody>
                        </Table>
                      </div>
                    </CardBody>
                  </Card>
                );
              })}
          </section>
        ))}
      </div>
    </>
  );
}
