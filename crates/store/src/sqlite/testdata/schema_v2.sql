-- A storyline store as schema v2 wrote it: migrations 1 and 2 verbatim, then
-- two articles (the second a near-duplicate of the first, undated) with
-- their LSH bands, and one ingest run with a problem. Frozen: do not edit,
-- even when the migrations' comments or formatting change.
-- `v2_store_upgrades` loads it.
CREATE TABLE articles (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    content_hash    TEXT    NOT NULL,
    duplicate_group TEXT    NOT NULL
                    REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
    published       TEXT,
    published_day   TEXT,
    published_sort  TEXT,
    provenance      TEXT    NOT NULL,
    source          TEXT,
    source_key      TEXT,
    title           TEXT,
    ingested_at     TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    minhash         BLOB    NOT NULL,
    article_json    TEXT    NOT NULL
);
CREATE INDEX articles_by_published ON articles (published_sort IS NULL, published_sort, seq);
CREATE INDEX articles_by_day ON articles (published_day);
CREATE INDEX articles_by_source ON articles (source_key, published_day);
CREATE INDEX articles_by_group ON articles (duplicate_group);
CREATE TABLE lsh_bands (
    band        INTEGER NOT NULL,
    article_seq INTEGER NOT NULL REFERENCES articles (seq),
    PRIMARY KEY (band, article_seq)
) WITHOUT ROWID;
CREATE TABLE ingest_runs (
    run          INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at  TEXT NOT NULL,
    inputs_json  TEXT NOT NULL,
    summary_json TEXT NOT NULL
);
CREATE TABLE run_problems (
    run          INTEGER NOT NULL REFERENCES ingest_runs (run),
    position     INTEGER NOT NULL,
    problem_json TEXT    NOT NULL,
    PRIMARY KEY (run, position)
) WITHOUT ROWID;
CREATE INDEX articles_by_provenance ON articles (provenance);

INSERT INTO articles (id, content_hash, duplicate_group, published, published_day,
    published_sort, provenance, source, source_key, title, ingested_at, text, minhash,
    article_json)
VALUES (
    '5757dee4bd39eb28',
    '5757dee4bd39eb28cbea1b7b684b4902b068e9045e613d9efae39e1c24c015c6',
    '5757dee4bd39eb28',
    '2023-11-09', '2023-11-09', '2023-11-09', 'header', 'Reuters', 'reuters',
    'Ministers meet in Cairo', '2023-11-10T08:00:00Z',
    'Ministers met in Cairo on Friday to discuss a ceasefire.',
    X'010000000200000003000000',
    '{"id":"5757dee4bd39eb28","content_hash":"5757dee4bd39eb28cbea1b7b684b4902b068e9045e613d9efae39e1c24c015c6","duplicate_group":"5757dee4bd39eb28","duplicate_similarity":1.0,"ingested_at":"2023-11-10T08:00:00Z","text":"","title":"Ministers meet in Cairo","url":null,"canonical_url":null,"source":"Reuters","authors":[],"dateline":null,"published":"2023-11-09","published_provenance":"header","published_evidence":"test","published_confidence":1.0,"modified":null,"language":null,"date_candidates":[],"origin":{"location":{"source":"-"},"format":"text"}}'
);
INSERT INTO articles (id, content_hash, duplicate_group, published, published_day,
    published_sort, provenance, source, source_key, title, ingested_at, text, minhash,
    article_json)
VALUES (
    '28a05c977d3e52cb',
    '28a05c977d3e52cbd92fcd145dd4dee14e60ee574b36a306063dbd7036e0f4eb',
    '5757dee4bd39eb28',
    NULL, NULL, NULL, 'unknown', 'BBC', 'bbc',
    'Cairo talks', '2023-11-11T09:30:00Z',
    'Ministers met in Cairo on Friday to discuss a ceasefire, officials said.',
    X'010000000200000004000000',
    '{"id":"28a05c977d3e52cb","content_hash":"28a05c977d3e52cbd92fcd145dd4dee14e60ee574b36a306063dbd7036e0f4eb","duplicate_group":"5757dee4bd39eb28","duplicate_similarity":0.9,"ingested_at":"2023-11-11T09:30:00Z","text":"","title":"Cairo talks","url":"https://example.com/cairo","canonical_url":null,"source":"BBC","authors":["A. Writer"],"dateline":null,"published":null,"published_provenance":"unknown","published_evidence":null,"published_confidence":0.0,"modified":null,"language":"en","date_candidates":[],"origin":{"location":{"source":"b.txt"},"format":"text"}}'
);
INSERT INTO lsh_bands (band, article_seq) VALUES (42, 1), (-7, 1), (42, 2), (99, 2);
INSERT INTO ingest_runs (recorded_at, inputs_json, summary_json)
VALUES ('2023-11-11T09:30:05Z', '["a.txt","b.txt"]', '{"read":3,"inserted":2}');
INSERT INTO run_problems (run, position, problem_json)
VALUES (1, 0, '{"location":{"source":"c.txt","line":3},"reason":"no article text","skipped":true}');

PRAGMA application_id = 1398033486;
PRAGMA user_version = 2;
