-- sqlite_query.sql: the brute-force query for the sqlite3 peer of compare_peers.sh.
--
-- The CSV is imported first by the command line (the path cannot be a parameter here):
--   sqlite3 -bail -cmd '.import --csv "FILE" logins' -cmd '.output "result.csv"' :memory: \
--       < sqlite_query.sql > timer.txt
-- The import creates table `logins` from the file's header (any column order; every column is
-- TEXT), into an in-memory database. `.timer on` prints "Run Time: real ..." for the query alone
-- to stdout, while the result goes to the `.output` file.
--
-- A row is a success only when `successful` is exactly 'True'; every other row is a failure.
-- window_start = floor(time / 60) * 60, exact for negative times too: SQLite's % takes the sign of
-- the dividend, so ((t % 60) + 60) % 60 is the non-negative remainder.
.headers on
.mode csv
.separator "," "\n"
.timer on
SELECT ip_address, window_start, window_start + 60 AS window_end, count(*) AS count
FROM (
  SELECT ip_address, t - ((t % 60) + 60) % 60 AS window_start
  FROM (SELECT ip_address, CAST(time AS INTEGER) AS t FROM logins WHERE successful IS NOT 'True')
)
GROUP BY ip_address, window_start
HAVING count(*) >= 5
ORDER BY window_start, ip_address;
