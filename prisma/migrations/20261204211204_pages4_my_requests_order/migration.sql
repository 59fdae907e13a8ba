-- CreateIndex
CREATE INDEX "Request_requesterId_createdAt_id_idx" ON "Request"("requesterId", "createdAt" DESC, "id" DESC);

