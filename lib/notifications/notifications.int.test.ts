// The bell: each user lists and marks read only their own notifications.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { notify } from "./notify";
import { listNotifications } from "./list-notifications";
import { markNotificationRead } from "./mark-notification-read";
import { markAllNotificationsRead } from "./mark-all-notifications-read";

let t: TestDatabase;
let db: Db;
let alice: Ctx;
let bob: Ctx;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  alice = await ctxFor(db, (await makeUser(db)).id);
  bob = await ctxFor(db, (await makeUser(db)).id);
  await notify(db, alice.actor.id, "machine.ready", { machineName: "web-01" }, "/machines/x");
  await notify(db, alice.actor.id, "operation.failed", { machineName: "web-01", operation: "STOP", error: "boom" });
  await notify(db, alice.actor.id, "lease.expiring", { machineName: "db-01", days: 7 });
  await notify(db, bob.actor.id, "request.approved", { requestNumber: 12 });
});

afterAll(async () => {
  await t?.drop();
});

describe("notifications", () => {
  it("lists only the actor's own, newest first, with the unread count", async () => {
    const a = await listNotifications(alice, { limit: 15, unreadOnly: false });
    expect(a.unread).toBe(3);
    expect(a.items.map((n) => n.kind)).toEqual(["lease.expiring", "operation.failed", "machine.ready"]);
    expect(a.items[2]).toMatchObject({ params: { machineName: "web-01" }, link: "/machines/x", read: false });
    const b = await listNotifications(bob, { limit: 15, unreadOnly: false });
    expect(b.items.map((n) => n.kind)).toEqual(["request.approved"]);
  });

  it("marks one read, never someone else's", async () => {
    const bobs = await listNotifications(bob, { limit: 15, unreadOnly: false });
    const err = await markNotificationRead(alice, { notificationId: bobs.items[0].id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("NOT_FOUND");
    expect((await listNotifications(bob, { limit: 15, unreadOnly: false })).unread).toBe(1);

    const mine = await listNotifications(alice, { limit: 15, unreadOnly: false });
    await markNotificationRead(alice, { notificationId: mine.items[0].id });
    const after = await listNotifications(alice, { limit: 15, unreadOnly: false });
    expect(after.unread).toBe(2);
    expect(after.items[0].read).toBe(true);
    expect((await listNotifications(alice, { limit: 15, unreadOnly: true })).items).toHaveLength(2);
  });

  it("marks all of the actor's read and leaves others' alone", async () => {
    const r = await markAllNotificationsRead(alice, {});
    expect(r.marked).toBe(2);
    expect((await listNotifications(alice, { limit: 15, unreadOnly: false })).unread).toBe(0);
    expect((await listNotifications(bob, { limit: 15, unreadOnly: false })).unread).toBe(1);
  });
});
