// Maps service errors to Next's page responses: 404, 403, or the sign-in page.
import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { AppError } from "../errors";

export async function guardPage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) {
      if (err.code === "NOT_FOUND") notFound();
      if (err.code === "FORBIDDEN") forbidden();
      if (err.code === "UNAUTHENTICATED") redirect("/login");
    }
    throw err;
  }
}
