-- Display names sort as people in Taiwan sort names: Chinese by stroke count (丁 2, 王 4, 林 8,
-- 陳 11), Latin letters before them and without regard to case or accents (Anna, bob, Émile,
-- Zoe), instead of by code point. ICU's Traditional Chinese stroke order, with Latin first.
-- The column, the directory's row type and the view take the collation, so every ORDER BY
-- display_name (the Users list, Deleted users, confirmations) and the display-name indexes
-- follow it; equality stays exact (ICU collations are deterministic unless made otherwise).
CREATE COLLATION partnerdesk_names (provider = icu, locale = 'zh-Hant-TW-u-co-stroke-kr-latn-hani');

DROP VIEW listed_users;
ALTER TYPE listed_user ALTER ATTRIBUTE display_name TYPE text COLLATE partnerdesk_names;
ALTER TABLE customer_users ALTER COLUMN display_name TYPE text COLLATE partnerdesk_names;
CREATE VIEW listed_users AS SELECT (listed_user(u)).* FROM customer_users u;
