//! `postgres` against `sqlx` on the statement shapes of storyline's linker
//! (`crates/store/src/pg/links.rs`), issue 20.
//!
//!     pg-driver-bench URL [ITERATIONS]
//!
//! Starts nothing: URL names a database it may create two tables in
//! (`bench_link_keys`, `bench_link_records`, dropped and refilled first).
//! Each driver gets one connection, driven from synchronous code as the
//! `Store` trait would drive it: `postgres` with statements prepared once
//! (as the store's `Conn` does), `sqlx` through `block_on` on a
//! current-thread tokio runtime (what `postgres` does inside) with its own
//! statement cache. Per iteration every operation (and each of 10 point
//! selects) runs once per driver on the same inputs, back to back, the
//! drivers alternating which goes first; the first
//! WARMUP iterations are not counted. Both reconnect every RECONNECT
//! iterations (then one uncounted iteration warms the new connections).
//! Prints a Markdown table.

use std::time::{Duration, Instant};

const KIND: &[u8] = b"story";
/// Records and distinct keys in the tables (SETUP writes 100,000
/// postings, 5 per record).
const RECORDS: u64 = 20_000;
const KEYS: u64 = 25_000;
/// Keys per lookup, ids per body read, records (and keys per record) per
/// write, point selects per iteration.
const LOOKUP_KEYS: usize = 200;
const BODY_IDS: usize = 200;
const WRITE_RECORDS: u64 = 20;
const KEYS_PER_RECORD: usize = 5;
const POINTS: usize = 10;
const PER_KEY: i64 = 16;
const WARMUP: usize = 20;
/// Both drivers reconnect every RECONNECT counted iterations: the latency
/// of one connection depends on where the scheduler puts its server
/// process (on 2 cores, 20 against 60 µs for a point select, whichever
/// the driver), so each driver's figures span several connections.
const RECONNECT: usize = 10;

const SETUP: &str = r#"
DROP TABLE IF EXISTS bench_link_keys, bench_link_records;
CREATE TABLE bench_link_records (
    kind BYTEA NOT NULL,
    id   BYTEA NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE bench_link_keys (
    pos  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind BYTEA NOT NULL,
    key  BYTEA NOT NULL,
    id   BYTEA NOT NULL
);
INSERT INTO bench_link_records (kind, id, body)
    SELECT 'story'::bytea, ('r' || g)::bytea,
           convert_to('{"id":"r' || g || '","text":"' || repeat('y', 280) || '"}', 'UTF8')
    FROM generate_series(0, 19999) g;
INSERT INTO bench_link_keys (kind, key, id)
    SELECT 'story'::bytea, ('k' || (g * 7919) % 25000)::bytea, ('r' || g % 20000)::bytea
    FROM generate_series(0, 99999) g;
CREATE INDEX bench_link_keys_by_key ON bench_link_keys (kind, key, pos, id);
CREATE INDEX bench_link_keys_by_record ON bench_link_keys (kind, id, pos, key);
"#;
const VACUUM: [&str; 2] = [
    "VACUUM ANALYZE bench_link_records",
    "VACUUM ANALYZE bench_link_keys",
];

/// (1) `link_lookup`: the newest ids of each key, one statement.
const LOOKUP: &str = "SELECT k.i, l.id
 FROM unnest($2::bytea[]) WITH ORDINALITY AS k(key, i)
 CROSS JOIN LATERAL (
     SELECT pos, id FROM bench_link_keys WHERE kind = $1 AND key = k.key
     ORDER BY pos DESC LIMIT $3) AS l
 ORDER BY k.i, l.pos DESC";
/// (2) `link_bodies`: bodies by id array.
const BODIES: &str =
    "SELECT id, body FROM bench_link_records WHERE kind = $1 AND id = ANY($2::bytea[])";
/// (3) `put_links`: one statement in a transaction, unnest of arrays:
/// the records' old keys deleted, their new keys and bodies written.
const WRITE: &str = "WITH del AS (
    DELETE FROM bench_link_keys WHERE kind = $1::bytea AND id = ANY($2::bytea[])),
 new_keys AS (
    INSERT INTO bench_link_keys (kind, key, id)
    SELECT $1::bytea, t.key, t.id FROM unnest($3::bytea[], $4::bytea[]) AS t(key, id)),
 new_records AS (
    INSERT INTO bench_link_records (kind, id, body)
    SELECT $1::bytea, t.id, t.body FROM unnest($2::bytea[], $5::bytea[]) AS t(id, body)
    ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body)
SELECT 1::bigint";
/// (4) one record's body.
const POINT: &str = "SELECT body FROM bench_link_records WHERE kind = $1 AND id = $2";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The inputs of one iteration, the same for both drivers.
struct Inputs {
    lookup_keys: Vec<Vec<u8>>,
    body_ids: Vec<Vec<u8>>,
    write_ids: Vec<Vec<u8>>,
    write_keys: Vec<Vec<u8>>,
    write_key_ids: Vec<Vec<u8>>,
    write_bodies: Vec<Vec<u8>>,
    points: Vec<Vec<u8>>,
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

fn inputs(iteration: usize) -> Inputs {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (iteration as u64 + 1));
    let key = |n: u64| format!("k{n}").into_bytes();
    let id = |n: u64| format!("r{n}").into_bytes();
    let lookup_keys = (0..LOOKUP_KEYS).map(|_| key(rng.below(KEYS))).collect();
    let body_ids = (0..BODY_IDS).map(|_| id(rng.below(RECORDS))).collect();
    // Distinct records (an upsert may touch a row once per statement).
    let base = rng.below(RECORDS);
    let write_ids: Vec<Vec<u8>> =
        (0..WRITE_RECORDS).map(|j| id((base + j * 997) % RECORDS)).collect();
    let mut write_keys = Vec::new();
    let mut write_key_ids = Vec::new();
    for record in &write_ids {
        for _ in 0..KEYS_PER_RECORD {
            write_keys.push(key(rng.below(KEYS)));
            write_key_ids.push(record.clone());
        }
    }
    let write_bodies = write_ids
        .iter()
        .map(|r| {
            let r = String::from_utf8_lossy(r);
            format!("{{\"id\":\"{r}\",\"text\":\"{}\",\"n\":{iteration}}}", "z".repeat(280))
                .into_bytes()
        })
        .collect();
    let points = (0..POINTS).map(|_| id(rng.below(RECORDS))).collect();
    Inputs { lookup_keys, body_ids, write_ids, write_keys, write_key_ids, write_bodies, points }
}

/// What both drivers do; each answer is a count, compared across drivers.
trait Driver {
    fn name(&self) -> &'static str;
    fn lookup(&mut self, keys: &[Vec<u8>]) -> Res<usize>;
    fn bodies(&mut self, ids: &[Vec<u8>]) -> Res<usize>;
    fn write(&mut self, x: &Inputs) -> Res<usize>;
    fn point(&mut self, id: &[u8]) -> Res<usize>;
}

#[cfg(feature = "postgres")]
mod pg {
    use super::*;
    use postgres::{Client, NoTls, Statement};

    pub struct Pg {
        client: Client,
        lookup: Statement,
        bodies: Statement,
        write: Statement,
        point: Statement,
    }

    pub fn setup(url: &str) -> Res<()> {
        let mut client = Client::connect(url, NoTls)?;
        client.batch_execute(SETUP)?;
        for v in VACUUM {
            client.batch_execute(v)?;
        }
        Ok(())
    }

    impl Pg {
        pub fn connect(url: &str) -> Res<Pg> {
            let mut client = Client::connect(url, NoTls)?;
            let lookup = client.prepare(LOOKUP)?;
            let bodies = client.prepare(BODIES)?;
            let write = client.prepare(WRITE)?;
            let point = client.prepare(POINT)?;
            Ok(Pg { client, lookup, bodies, write, point })
        }
    }

    impl Driver for Pg {
        fn name(&self) -> &'static str {
            "postgres"
        }
        fn lookup(&mut self, keys: &[Vec<u8>]) -> Res<usize> {
            let rows = self.client.query(&self.lookup, &[&KIND, &keys, &PER_KEY])?;
            let found = rows
                .iter()
                .map(|r| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, Vec<u8>>(1)?)))
                .collect::<Result<Vec<_>, postgres::Error>>()?;
            Ok(found.len())
        }
        fn bodies(&mut self, ids: &[Vec<u8>]) -> Res<usize> {
            let rows = self.client.query(&self.bodies, &[&KIND, &ids])?;
            let found = rows
                .iter()
                .map(|r| Ok((r.try_get::<_, Vec<u8>>(0)?, r.try_get::<_, Vec<u8>>(1)?)))
                .collect::<Result<Vec<_>, postgres::Error>>()?;
            Ok(found.iter().map(|(_, b)| b.len()).sum())
        }
        fn write(&mut self, x: &Inputs) -> Res<usize> {
            let mut tx = self.client.transaction()?;
            let row = tx.query_one(
                &self.write,
                &[&KIND, &x.write_ids, &x.write_keys, &x.write_key_ids, &x.write_bodies],
            )?;
            let one: i64 = row.try_get(0)?;
            tx.commit()?;
            Ok(one as usize)
        }
        fn point(&mut self, id: &[u8]) -> Res<usize> {
            let row = self.client.query_opt(&self.point, &[&KIND, &id])?;
            Ok(match row {
                Some(r) => r.try_get::<_, Vec<u8>>(0)?.len(),
                None => 0,
            })
        }
    }
}

#[cfg(feature = "sqlx")]
mod sx {
    use super::*;
    use sqlx::{Connection, Executor, PgConnection, Row};
    use tokio::runtime::Runtime;

    pub struct Sx {
        rt: Runtime,
        conn: PgConnection,
    }

    fn runtime() -> Res<Runtime> {
        Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
    }

    /// Used when `sqlx` is the only driver built.
    #[cfg_attr(feature = "postgres", allow(dead_code))]
    pub fn setup(url: &str) -> Res<()> {
        let rt = runtime()?;
        rt.block_on(async {
            let mut conn = PgConnection::connect(url).await?;
            conn.execute(sqlx::raw_sql(SETUP)).await?;
            for v in VACUUM {
                conn.execute(sqlx::raw_sql(v)).await?;
            }
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    impl Sx {
        pub fn connect(url: &str) -> Res<Sx> {
            let rt = runtime()?;
            let conn = rt.block_on(PgConnection::connect(url))?;
            Ok(Sx { rt, conn })
        }
    }

    impl Driver for Sx {
        fn name(&self) -> &'static str {
            "sqlx"
        }
        fn lookup(&mut self, keys: &[Vec<u8>]) -> Res<usize> {
            let Sx { rt, conn } = self;
            let found = rt.block_on(async {
                let rows = sqlx::query(LOOKUP)
                    .bind(KIND)
                    .bind(keys)
                    .bind(PER_KEY)
                    .fetch_all(&mut *conn)
                    .await?;
                rows.iter()
                    .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<Vec<u8>, _>(1)?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()
            })?;
            Ok(found.len())
        }
        fn bodies(&mut self, ids: &[Vec<u8>]) -> Res<usize> {
            let Sx { rt, conn } = self;
            let found = rt.block_on(async {
                let rows = sqlx::query(BODIES).bind(KIND).bind(ids).fetch_all(&mut *conn).await?;
                rows.iter()
                    .map(|r| Ok((r.try_get::<Vec<u8>, _>(0)?, r.try_get::<Vec<u8>, _>(1)?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()
            })?;
            Ok(found.iter().map(|(_, b)| b.len()).sum())
        }
        fn write(&mut self, x: &Inputs) -> Res<usize> {
            let Sx { rt, conn } = self;
            let one = rt.block_on(async {
                let mut tx = conn.begin().await?;
                let row = sqlx::query(WRITE)
                    .bind(KIND)
                    .bind(&x.write_ids)
                    .bind(&x.write_keys)
                    .bind(&x.write_key_ids)
                    .bind(&x.write_bodies)
                    .fetch_one(&mut *tx)
                    .await?;
                let one: i64 = row.try_get(0)?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(one)
            })?;
            Ok(one as usize)
        }
        fn point(&mut self, id: &[u8]) -> Res<usize> {
            let Sx { rt, conn } = self;
            let row = rt.block_on(
                sqlx::query(POINT).bind(KIND).bind(id).fetch_optional(&mut *conn),
            )?;
            Ok(match row {
                Some(r) => r.try_get::<Vec<u8>, _>(0)?.len(),
                None => 0,
            })
        }
    }
}

const OPS: [&str; 4] = [
    "(1) lookup: 200 keys, `key = k.key` per key (LATERAL, LIMIT 16)",
    "(2) bodies: 200 ids, `id = ANY($2)`",
    "(3) write: 1 transaction, 20 records + 100 keys by `unnest`",
    "(4) point select: 1 row by primary key",
];

/// One operation on one driver, timed; `point` picks the point select.
fn run_op(
    d: &mut dyn Driver,
    op: usize,
    point: usize,
    x: &Inputs,
    times: &mut [Vec<Duration>; 4],
) -> Res<usize> {
    let t = Instant::now();
    let answer = match op {
        0 => d.lookup(&x.lookup_keys)?,
        1 => d.bodies(&x.body_ids)?,
        2 => d.write(x)?,
        _ => d.point(&x.points[point])?,
    };
    times[op].push(t.elapsed());
    Ok(answer)
}

/// Every operation once per driver (each point select too), the driver
/// that goes first alternating from one operation to the next.
fn pass(
    drivers: &mut [Box<dyn Driver>],
    i: usize,
    x: &Inputs,
    times: &mut [[Vec<Duration>; 4]],
) -> Res<()> {
    let mut turn = i;
    for (op, point) in (0..3).map(|op| (op, 0)).chain((0..POINTS).map(|p| (3, p))) {
        let mut answers = Vec::new();
        for k in 0..drivers.len() {
            let d = (k + turn) % drivers.len();
            answers.push(run_op(drivers[d].as_mut(), op, point, x, &mut times[d])?);
        }
        turn += 1;
        if answers.windows(2).any(|w| w[0] != w[1]) {
            return Err(format!("iteration {i}, op {op}: the drivers disagree: {answers:?}").into());
        }
    }
    Ok(())
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i]
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.0} µs")
    }
}

fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let Some(url) = args.next() else {
        eprintln!("usage: pg-driver-bench URL [ITERATIONS]");
        std::process::exit(2);
    };
    let iterations: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(200);

    #[cfg(feature = "postgres")]
    pg::setup(&url)?;
    #[cfg(all(feature = "sqlx", not(feature = "postgres")))]
    sx::setup(&url)?;
    let connect = || -> Res<Vec<Box<dyn Driver>>> {
        let mut drivers: Vec<Box<dyn Driver>> = Vec::new();
        #[cfg(feature = "postgres")]
        drivers.push(Box::new(pg::Pg::connect(&url)?));
        #[cfg(feature = "sqlx")]
        drivers.push(Box::new(sx::Sx::connect(&url)?));
        Ok(drivers)
    };
    let mut drivers = connect()?;
    if drivers.is_empty() {
        eprintln!("built without a driver (features `postgres`, `sqlx`)");
        std::process::exit(2);
    }
    let mut times: Vec<[Vec<Duration>; 4]> = drivers.iter().map(|_| Default::default()).collect();
    let mut scratch: Vec<[Vec<Duration>; 4]> = drivers.iter().map(|_| Default::default()).collect();
    let started = Instant::now();
    for i in 0..WARMUP + iterations {
        if i >= WARMUP && (i - WARMUP) % RECONNECT == 0 {
            // New connections (new server processes) for both drivers,
            // warmed by one uncounted iteration of other inputs.
            drivers = connect()?;
            pass(&mut drivers, i, &inputs(i + (1 << 20)), &mut scratch)?;
        }
        let into = if i < WARMUP { &mut scratch } else { &mut times };
        pass(&mut drivers, i, &inputs(i), into)?;
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{iterations} iterations after {WARMUP} of warm-up, {} connections per driver, {:.1} s; load average {}\n",
        iterations.div_ceil(RECONNECT) + 1,
        started.elapsed().as_secs_f64(),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    let names: Vec<&str> = drivers.iter().map(|d| d.name()).collect();
    print!("| operation |");
    for n in &names {
        print!(" `{n}` median | `{n}` p90 |");
    }
    if names.len() == 2 {
        print!(" median {} / {} |", names[1], names[0]);
    }
    println!();
    println!("|---|{}", "---|".repeat(names.len() * 2 + usize::from(names.len() == 2)));
    for (op, label) in OPS.iter().enumerate() {
        print!("| {label} |");
        let mut medians = Vec::new();
        for t in &mut times {
            let s = &mut t[op];
            s.sort();
            let m = quantile(s, 0.5);
            medians.push(m);
            print!(" {} | {} |", show(m), show(quantile(s, 0.9)));
        }
        if medians.len() == 2 {
            print!(" {:.2} |", medians[1].as_secs_f64() / medians[0].as_secs_f64());
        }
        println!();
    }
    Ok(())
}
