-- KPI charts aggregate every sample of a range (82k in 30 days at 1M samples a year): with
-- the KPI and the value in the time index, both stores read them from the index alone
-- instead of fetching each sample's row.
CREATE INDEX kpi_samples_at_cover ON kpi_samples (at, kpi, value);
DROP INDEX IF EXISTS kpi_samples_at;
