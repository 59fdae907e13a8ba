import { jsonRoute, queryOf } from "@/lib/machines/json-route";
import { listBackupsSchema } from "@/lib/backups/schemas";
import { listBackups } from "@/lib/backups/list-backups";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return jsonRoute(listBackupsSchema, queryOf(req.url), listBackups);
}
