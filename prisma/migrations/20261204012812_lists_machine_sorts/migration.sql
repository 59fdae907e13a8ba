-- CreateIndex
CREATE INDEX "Machine_name_id_idx" ON "Machine"("name", "id" DESC);

-- CreateIndex
CREATE INDEX "Machine_state_id_idx" ON "Machine"("state", "id" DESC);

-- CreateIndex
CREATE INDEX "Machine_monthlyCents_id_idx" ON "Machine"("monthlyCents", "id" DESC);

-- CreateIndex
CREATE INDEX "Machine_providerId_createdAt_id_idx" ON "Machine"("providerId", "createdAt" DESC, "id");

