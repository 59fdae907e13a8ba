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

