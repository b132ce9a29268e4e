// duckdb_query.mjs: the brute-force query for the DuckDB peer of compare_peers.sh.
//
//   node duckdb_query.mjs --threads N [--modules DIR] FILE OUT.csv
//
// Opens an in-memory DuckDB (@duckdb/node-api) with `threads` = N, runs read_csv + the query and
// writes the result with COPY ... TO OUT.csv. DIR is the folder holding node_modules/@duckdb/node-api
// (default: env DUCKDB_NODE_PREFIX, else normal resolution from this file). Prints one JSON line on
// stdout: {"threads":N,"query_seconds":S,"duckdb":"vX.Y.Z"}; query_seconds is read_csv + query +
// write, without node start-up and module loading (the process wall time includes them).
//
// A row is a success only when `successful` is exactly 'True' (read as VARCHAR, not sniffed as
// BOOLEAN, so 'true' or 'TRUE' stay failures; an empty field is NULL and counts as a failure).
// window_start = floor(time / 60) * 60, exact for negative times: DuckDB's % takes the sign of the
// dividend (and // truncates), so ((time % 60) + 60) % 60 is the non-negative remainder.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function usage(msg) {
  if (msg) process.stderr.write(`duckdb_query.mjs: ${msg}\n`);
  process.stderr.write('usage: node duckdb_query.mjs --threads N [--modules DIR] FILE OUT.csv\n');
  process.exit(2);
}

const args = process.argv.slice(2);
let threads = 1;
let prefix = process.env.DUCKDB_NODE_PREFIX || '';
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--threads') threads = Number(args[++i]);
  else if (args[i] === '--modules') prefix = args[++i];
  else if (args[i].startsWith('--')) usage(`unknown option ${args[i]}`);
  else positional.push(args[i]);
}
if (positional.length !== 2 || !Number.isInteger(threads) || threads < 1) usage();
const [file, out] = positional.map((p) => path.resolve(p));

let api;
if (prefix) {
  const require = createRequire(path.join(path.resolve(prefix), 'package.json'));
  api = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
} else {
  api = await import('@duckdb/node-api');
}
const { DuckDBInstance } = api;

const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const sql = `
COPY (
  SELECT ip_address, window_start, window_start + 60 AS window_end, count(*) AS count
  FROM (
    SELECT ip_address, time - ((time % 60) + 60) % 60 AS window_start
    FROM read_csv(${lit(file)}, header = true, delim = ',',
                  types = {'successful': 'VARCHAR', 'time': 'BIGINT', 'ip_address': 'VARCHAR'})
    WHERE successful IS DISTINCT FROM 'True'
  )
  GROUP BY ip_address, window_start
  HAVING count(*) >= 5
  ORDER BY window_start, ip_address
) TO ${lit(out)} (FORMAT csv, HEADER true, DELIMITER ',')`;

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
const info = (await connection.runAndReadAll(
  "SELECT version() AS v, current_setting('threads') AS t")).getRowObjects()[0];
if (Number(info.t) !== threads) {
  process.stderr.write(`duckdb_query.mjs: asked for ${threads} threads, DuckDB has ${info.t}\n`);
  process.exit(1);
}
const t0 = process.hrtime.bigint();
await connection.run(sql);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ threads, query_seconds: seconds, duckdb: info.v }) + '\n');
