//! [`PostgresStore`] against a throwaway server: the conformance suite,
//! then what only this backend has (schema, URLs, several stores on one
//! database, connections lost).

use super::*;

fn fresh(test: &str) -> Option<PostgresStore> {
    let url = server::test_database(test)?;
    Some(PostgresStore::open(&url).unwrap_or_else(|e| panic!("{test}: {e}")))
}

crate::conformance_tests!(skippable: fresh(module_path!()));
