/**
 * `settle_apply` (migration 0009) finds a delivery batch's events through their primary key, whatever the statistics
 * say.
 *
 * The outcome update said `e.id = ANY(p_ids) AND … AND e.state = 'pending'`, which let the planner read the events
 * through the partial index `callback_events_order` (`WHERE state = 'pending'`): all of it, testing each entry's id.
 * The plan is chosen while that index looks small (a new or recently analyzed table) and kept by the connection, while
 * the index holds every pending event plus a dead entry per delivery until vacuum; with two nodes, more events are
 * pending at once and each settle read more of it. Now:
 * - `(e.state = 'pending') IS TRUE` no longer implies the partial indexes' predicate, so only `callback_events_pkey`
 *   can serve `e.id = ANY(p_ids)`;
 * - `SET enable_seqscan = off` for the function's statements: a plan made while the table was a few pages would
 *   otherwise read the whole table (a hash join over a sequential scan), and keep doing so as it grows. Every
 *   statement here has an index to use.
 *
 * Same signature, locks and results as before.
 */
export const pgMigration0010 = {
  version: 10,
  name: 'settle-by-primary-key',
  sql: `
CREATE OR REPLACE FUNCTION settle_apply(p_ids bigint[], p_owners text[], p_attempts integer[], p_outcomes text[], p_now bigint,
  p_next bigint[], p_errors text[], p_apps bigint[], p_keys text[], p_started bigint[], p_urls text[],
  p_status integer[], p_latency double precision[], p_error_codes bigint[], p_error_infos text[])
RETURNS TABLE (o_settled boolean, o_unparked integer)
LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
DECLARE
  v_settled bigint[];
  v_unparked integer;
BEGIN
  WITH x AS (SELECT * FROM unnest(p_ids, p_owners, p_attempts, p_outcomes, p_next, p_errors)
      AS x(id, owner, attempt, outcome, next, error)),
    s AS (UPDATE callback_events e SET
        state = CASE x.outcome WHEN 'delivered' THEN 'delivered' WHEN 'dead' THEN 'dead' ELSE 'pending' END,
        delivered_at = CASE WHEN x.outcome = 'delivered' THEN p_now ELSE e.delivered_at END,
        next_attempt_at = CASE x.outcome WHEN 'retry' THEN x.next WHEN 'aborted' THEN p_now ELSE e.next_attempt_at END,
        last_error = CASE WHEN x.outcome = 'delivered' THEN NULL ELSE x.error END,
        retry_base = e.retry_base + CASE WHEN x.outcome = 'aborted' THEN 1 ELSE 0 END,
        lease_owner = NULL, lease_until = NULL
      FROM x WHERE e.id = ANY(p_ids) AND e.id = x.id AND e.lease_owner = x.owner AND e.attempts = x.attempt
        AND (e.state = 'pending') IS TRUE
      RETURNING e.id)
  SELECT coalesce(array_agg(id), '{}') INTO v_settled FROM s;
  INSERT INTO callback_attempts (event_row, app_id, attempt, started_at, url, status, latency_ms, error_code,
      error_info, error, outcome)
    SELECT * FROM unnest(p_ids, p_apps, p_attempts, p_started, p_urls, p_status, p_latency, p_error_codes,
      p_error_infos, p_errors, p_outcomes);
  -- A fresh statement: it sees the outcomes above, so each key's lowest pending event is its new head.
  WITH d AS (SELECT DISTINCT x.app, x.key FROM unnest(p_ids, p_outcomes, p_apps, p_keys) AS x(id, outcome, app, key)
      WHERE x.outcome IN ('delivered', 'dead') AND x.id = ANY(v_settled)),
    u AS (UPDATE callback_events e SET parked = 0 FROM d
      WHERE e.id = (SELECT min(p.id) FROM callback_events p
        WHERE p.app_id = d.app AND p.ordering_key = d.key AND p.state = 'pending')
      RETURNING 1)
  SELECT count(*) INTO v_unparked FROM u;
  RETURN QUERY SELECT x.id = ANY(v_settled), CASE WHEN x.ord = 1 THEN v_unparked ELSE 0 END
    FROM unnest(p_ids) WITH ORDINALITY AS x(id, ord) ORDER BY x.ord;
END $$;
`,
};
