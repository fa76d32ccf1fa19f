-- A file's problems are listed up to 10,000 (import_rows::PROBLEMS_LISTED) and counted in full:
-- keeping every problem of a 40 MB file took hundreds of megabytes to check it and to show it.
ALTER TABLE import_jobs
    ADD COLUMN problem_count integer NOT NULL DEFAULT 0 CHECK (problem_count >= 0),
    -- [[message key, count], ...], largest first.
    ADD COLUMN problem_groups jsonb NOT NULL DEFAULT '[]';

UPDATE import_jobs j
SET problem_count = jsonb_array_length(j.problems),
    problem_groups = coalesce(
        (SELECT jsonb_agg(jsonb_build_array(g.key, g.n) ORDER BY g.n DESC, g.key)
         FROM (SELECT p ->> 'key' AS key, count(*) AS n
               FROM jsonb_array_elements(j.problems) p
               GROUP BY 1) g),
        '[]')
WHERE jsonb_typeof(j.problems) = 'array' AND jsonb_array_length(j.problems) > 0;
