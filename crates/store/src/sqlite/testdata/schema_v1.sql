-- A storyline store as schema v1 wrote it: migration 1 verbatim, then one
-- article with two LSH bands. Frozen: do not edit, even when migration 1's
-- comments or formatting change. `v1_store_upgrades` loads it.
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
INSERT INTO lsh_bands (band, article_seq) VALUES (42, 1), (-7, 1);

PRAGMA application_id = 1398033486;
PRAGMA user_version = 1;
