-- The users list counts a customer's active users for its pager on every page. The narrowest
-- index holding them lets that count(*), and the "has product" / "unlicensed" filters' joins to
-- licenses, read only this index (index-only scan) instead of the table or the wider
-- display-name index. With 100,000 users it halves the first page's cost; see
-- bench/results/. It does not make the count free: that needs the total from a counter.
CREATE INDEX customer_users_active_id_idx ON customer_users (customer_id, id) WHERE deleted_at IS NULL;
