import "server-only";
import type { Ctx } from "../context";
import type { CsvCell } from "../csv/csv";
import { assertCan } from "../auth/permissions";
import { listUsers } from "./list-users";
import type { ListUsersInput } from "./schemas";

/** Rows an export may hold: past this, narrow the search and export again. */
export const USER_EXPORT_MAX_ROWS = 50_000;

export const USER_CSV_HEADER = ["id", "email", "name", "role", "status", "sso", "groups", "projects", "active_sessions", "active_tokens", "last_login_at", "created_at"];

/** The users list (administrators) as CSV rows, with the list's search and order, in keyset pages. */
export function exportUsers(ctx: Ctx, input: ListUsersInput): () => AsyncGenerator<CsvCell[]> {
  // Before the first byte: a refusal answers 403, not a CSV with only a header.
  assertCan(ctx.actor, "user.manage");
  return async function* rows() {
    let cursor: string | undefined;
    let sent = 0;
    do {
      const page = await listUsers(ctx, { ...input, page: 1, cursor });
      for (const u of page.items) {
        const status = u.invitationExpiresAt ? "INVITED" : u.disabled ? "DISABLED" : u.lockedUntil ? "LOCKED" : "ACTIVE";
        yield [u.id, u.email, u.name, u.role, status, u.sso, u.groups, u.projects, u.activeSessions, u.activeTokens, u.lastLoginAt, u.createdAt];
        if (++sent >= USER_EXPORT_MAX_ROWS) return;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
}
