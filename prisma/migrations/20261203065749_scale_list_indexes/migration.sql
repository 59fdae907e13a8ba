-- CreateIndex
CREATE INDEX "Request_createdAt_number_idx" ON "Request"("createdAt" DESC, "number" DESC);

-- CreateIndex
CREATE INDEX "Request_projectId_createdAt_number_idx" ON "Request"("projectId", "createdAt" DESC, "number" DESC);

-- CreateIndex
CREATE INDEX "Machine_createdAt_id_idx" ON "Machine"("createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Machine_projectId_createdAt_id_idx" ON "Machine"("projectId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Notification_createdAt_idx" ON "Notification"("createdAt");


-- Retention (issue 9): audit events stay append-only (no UPDATE, no TRUNCATE, no DELETE),
-- except a DELETE by the retention job, which first exports the rows to the audit archive and
-- then deletes them in a transaction that sets orq.audit_retention = 'archived' locally.
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('orq.audit_retention', true) = 'archived' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'AuditEvent is append-only';
END;
$$;
