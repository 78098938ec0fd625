//! The linker lease in PostgreSQL: a session advisory lock held on a
//! connection of its own for as long as the lease lives.
//!
//! The lock is keyed by `STLN` and a hash of the store's schema, so two
//! stores in two schemas of one database have two leases. The holder's
//! description travels as the connection's `application_name`, which
//! `pg_stat_activity` shows beside the lock in `pg_locks`: another linker
//! can say who holds it, and a killed holder leaves nothing behind (the
//! server ends its session and the lock with it).

use postgres::{Client, NoTls};

use super::{Fail, PostgresStore};
use crate::lease::{clean_holder, Held};
use crate::{LinkerLease, StoreError};

/// The first key of the lock: "STLN", as the transaction locks' prefix.
const LEASE_CLASS: i32 = 0x5354_4c4e;

/// What `application_name` starts with on a lease's connection.
const APP_PREFIX: &str = "storyline linker: ";

const TAKE: &str = "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))";

/// Who holds the lock now, if this user may see it.
const HOLDER: &str = "SELECT a.application_name FROM pg_locks l
     JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = $1::int4::oid AND l.objid = hashtext(current_schema())::oid
     LIMIT 1";

struct PgLease {
    config: postgres::Config,
    shown: String,
    client: Option<Client>,
}

impl PgLease {
    /// A new session that takes the lock, or says who holds it.
    fn take(config: &postgres::Config, shown: &str) -> Result<Client, StoreError> {
        let at = |action| move |e: postgres::Error| Fail::from(e).at(shown, action);
        let mut client = config
            .connect(NoTls)
            .map_err(at("connecting for the linker lease"))?;
        let got: bool = client
            .query_one(TAKE, &[&LEASE_CLASS])
            .map_err(at("taking the linker lease"))?
            .get(0);
        if got {
            return Ok(client);
        }
        let holder = client
            .query_opt(HOLDER, &[&LEASE_CLASS])
            .ok()
            .flatten()
            .and_then(|row| row.get::<_, Option<String>>(0))
            .map(|name| clean_holder(name.strip_prefix(APP_PREFIX).unwrap_or(&name)))
            .filter(|h| !h.is_empty());
        Err(StoreError::LinkerBusy {
            store: shown.to_string(),
            holder,
        })
    }
}

impl Held for PgLease {
    fn check(&mut self) -> Result<(), StoreError> {
        if let Some(client) = &mut self.client {
            // A session that answers still holds its lock.
            if !client.is_closed() && client.simple_query("SELECT 1").is_ok() {
                return Ok(());
            }
            tracing::warn!(store = %self.shown, "the linker lease's connection was lost; taking the lease again");
        }
        self.client = None;
        self.client = Some(PgLease::take(&self.config, &self.shown)?);
        Ok(())
    }
}

impl PostgresStore {
    pub(super) fn lease_linker_impl(&self, holder: &str) -> Result<LinkerLease, StoreError> {
        let mut config = self.config.clone();
        // The server keeps at most 63 bytes of a name; cut on a character.
        let mut name = format!("{APP_PREFIX}{}", clean_holder(holder));
        while name.len() > 63 {
            name.pop();
        }
        config.application_name(&name);
        let client = PgLease::take(&config, &self.shown)?;
        Ok(LinkerLease::new(PgLease {
            config,
            shown: self.shown.clone(),
            client: Some(client),
        }))
    }
}
