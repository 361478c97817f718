-- Retention asks, per candidate cohort member, whether the user was active before the
-- first cohort: a lookup by user in the daily rollup.
CREATE INDEX usage_days_user_day ON usage_days (user_id, day);
