// Unknown /api/v1 paths answer in the API's error shape, not with the portal's HTML 404 page.
const notFound = async () =>
  Response.json(
    { error: { code: "NOT_FOUND", message: "No such API path; see /api/v1/openapi.json" } },
    { status: 404, headers: { "Cache-Control": "no-store" } },
  );

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
