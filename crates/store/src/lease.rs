//! The linker lease: at most one process links a store at a time.
//!
//! Linking is one ordered writer (each article's links are read and written
//! against what every earlier article left), so two linkers on one store
//! would link the same articles twice. Processes that share a store on
//! several machines (PostgreSQL) cannot see each other's memory, so the
//! store itself holds the lease: a lock the backend releases when its
//! holder dies (a file lock for SQLite, a session advisory lock for
//! PostgreSQL), never a row that a killed process would leave behind.

use crate::StoreError;

/// The store's linker lease, held until dropped.
///
/// A backend's lock can be lost without the holder letting go (PostgreSQL
/// drops a session's advisory locks when the connection breaks, as in a
/// server restart): [`LinkerLease::check`] before each pass of work finds
/// out, takes it again when it is free, and fails with
/// [`StoreError::LinkerBusy`] when another linker took it meanwhile.
pub struct LinkerLease {
    held: Box<dyn Held>,
}

/// What a backend keeps while it holds the lease.
pub(crate) trait Held: Send {
    /// Whether the lease still holds (taken again when it was lost and is
    /// free).
    fn check(&mut self) -> Result<(), StoreError>;
}

/// A lease for a store that needs none.
struct Unguarded;

impl Held for Unguarded {
    fn check(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

impl LinkerLease {
    pub(crate) fn new(held: impl Held + 'static) -> LinkerLease {
        LinkerLease {
            held: Box::new(held),
        }
    }

    /// A lease that guards nothing: for a store only its own process can
    /// reach and that never links from two threads (test doubles).
    pub fn unguarded() -> LinkerLease {
        LinkerLease::new(Unguarded)
    }

    /// `Ok` while this process still holds the lease; a lease lost with its
    /// connection is taken again when it is free. [`StoreError::LinkerBusy`]
    /// means another linker holds it now: stop linking.
    pub fn check(&mut self) -> Result<(), StoreError> {
        self.held.check()
    }
}

impl std::fmt::Debug for LinkerLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkerLease")
    }
}

/// A holder description kept within bounds and on one line, for messages.
pub(crate) fn clean_holder(holder: &str) -> String {
    let one_line: String = holder
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    one_line.trim().to_string()
}

/// The lease of a store that lives in this process only (in memory): a
/// slot for the holder's name, shared with the guard that empties it.
#[derive(Clone, Debug, Default)]
pub(crate) struct LocalLease(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl LocalLease {
    /// Takes it for `holder`, or says who has it.
    pub(crate) fn take(&self, store: &str, holder: &str) -> Result<LinkerLease, StoreError> {
        let mut slot = self.0.lock().map_err(|_| StoreError::Poisoned)?;
        if let Some(current) = slot.as_ref() {
            return Err(StoreError::LinkerBusy {
                store: store.to_string(),
                holder: Some(current.clone()),
            });
        }
        *slot = Some(clean_holder(holder));
        Ok(LinkerLease::new(LocalGuard(self.clone())))
    }
}

struct LocalGuard(LocalLease);

impl Held for LocalGuard {
    fn check(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

impl Drop for LocalGuard {
    fn drop(&mut self) {
        // A poisoned slot still holds a name: empty it all the same.
        *(self.0).0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}
