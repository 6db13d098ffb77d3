-- The alert list filtered by status and rule together (dashboards, GraphQL alerts(filter)): with 1,000,000 alerts
-- the status+rule+severity shapes read 263-276 buffers instead of 959-1,818 (EXPLAIN ANALYZE, BUFFERS).
CREATE INDEX IF NOT EXISTS alerts_list_status_rule ON alerts (tenant_id, status, rule_id, first_seen_at, alert_id);
