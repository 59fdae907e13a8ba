-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "freeHdd" DOUBLE PRECISION,
ADD COLUMN     "freeSsd" DOUBLE PRECISION;

-- CreateIndex
CREATE INDEX "Host_providerId_freeSsd_id_idx" ON "Host"("providerId", "freeSsd", "id");

-- CreateIndex
CREATE INDEX "Host_providerId_freeHdd_id_idx" ON "Host"("providerId", "freeHdd", "id");


-- The free fractions are maintained here, not by the application: every writer of a host's
-- totals or usage (reservations, releases, inventory sync, counter repair, seeds) and every
-- change of a provider's overcommit ratios keeps them exact. Same arithmetic as placement.ts
-- (capacity = floor(total x ratio)); null when the host has no disk of the tier.
CREATE FUNCTION "host_free"(vt integer, vu integer, mt integer, mu integer, dt integer, du integer,
    c double precision, m double precision, d double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN dt > 0 THEN (
      (floor(vt * c) - vu) / greatest(floor(vt * c), 1)
    + (floor(mt * m) - mu) / greatest(floor(mt * m), 1)
    + (floor(dt * d) - du) / greatest(floor(dt * d), 1)) / 3 END
$$;

CREATE FUNCTION "host_free_score"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c double precision;
  m double precision;
  d double precision;
BEGIN
  SELECT "cpuOvercommit", "memoryOvercommit", "diskOvercommit" INTO c, m, d FROM "Provider" WHERE id = NEW."providerId";
  NEW."freeSsd" := host_free(NEW."vcpuTotal", NEW."vcpuUsed", NEW."memoryMbTotal", NEW."memoryMbUsed", NEW."diskSsdGbTotal", NEW."diskSsdGbUsed", c, m, d);
  NEW."freeHdd" := host_free(NEW."vcpuTotal", NEW."vcpuUsed", NEW."memoryMbTotal", NEW."memoryMbUsed", NEW."diskHddGbTotal", NEW."diskHddGbUsed", c, m, d);
  RETURN NEW;
END $$;

CREATE TRIGGER "host_free_score" BEFORE INSERT OR UPDATE OF "providerId", "vcpuTotal", "vcpuUsed", "memoryMbTotal",
    "memoryMbUsed", "diskSsdGbTotal", "diskSsdGbUsed", "diskHddGbTotal", "diskHddGbUsed", "freeSsd", "freeHdd"
  ON "Host" FOR EACH ROW EXECUTE FUNCTION "host_free_score"();

CREATE FUNCTION "provider_host_free_score"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Host" h SET
    "freeSsd" = host_free(h."vcpuTotal", h."vcpuUsed", h."memoryMbTotal", h."memoryMbUsed", h."diskSsdGbTotal", h."diskSsdGbUsed",
      NEW."cpuOvercommit", NEW."memoryOvercommit", NEW."diskOvercommit"),
    "freeHdd" = host_free(h."vcpuTotal", h."vcpuUsed", h."memoryMbTotal", h."memoryMbUsed", h."diskHddGbTotal", h."diskHddGbUsed",
      NEW."cpuOvercommit", NEW."memoryOvercommit", NEW."diskOvercommit")
  WHERE h."providerId" = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER "provider_host_free_score" AFTER UPDATE OF "cpuOvercommit", "memoryOvercommit", "diskOvercommit" ON "Provider"
  FOR EACH ROW WHEN (OLD."cpuOvercommit" IS DISTINCT FROM NEW."cpuOvercommit"
    OR OLD."memoryOvercommit" IS DISTINCT FROM NEW."memoryOvercommit"
    OR OLD."diskOvercommit" IS DISTINCT FROM NEW."diskOvercommit")
  EXECUTE FUNCTION "provider_host_free_score"();

-- Backfill the hosts that exist.
UPDATE "Host" h SET
  "freeSsd" = host_free(h."vcpuTotal", h."vcpuUsed", h."memoryMbTotal", h."memoryMbUsed", h."diskSsdGbTotal", h."diskSsdGbUsed",
    p."cpuOvercommit", p."memoryOvercommit", p."diskOvercommit"),
  "freeHdd" = host_free(h."vcpuTotal", h."vcpuUsed", h."memoryMbTotal", h."memoryMbUsed", h."diskHddGbTotal", h."diskHddGbUsed",
    p."cpuOvercommit", p."memoryOvercommit", p."diskOvercommit")
FROM "Provider" p WHERE p.id = h."providerId";
