//! Running blocking SQLite calls off the async runtime: a [`Pool`] of connections, each lent to
//! one task on tokio's blocking threads at a time.
//!
//! Why `spawn_blocking` and not threads of our own: tokio's blocking pool already is a set of
//! threads for such calls, grown on demand and shared with the rest of the process, and awaiting
//! its result keeps the handler an ordinary future. What it lacks is a bound, so the pool gives
//! it one: a task first waits, asynchronously and in turn, for one of the pool's connections
//! (no runtime thread is held meanwhile), then holds one blocking thread for the call alone.
//!
//! The readers use it. The one write connection has a thread of its own instead
//! ([`super::writer`]): it groups the writes waiting for it into one commit, which lending the
//! connection to one task at a time cannot do.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::Semaphore;

use super::StoreError;

/// Connections for one kind of work, and a permit per connection.
#[derive(Debug)]
pub struct Pool {
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
    wait_limit: Duration,
    name: &'static str,
}

impl Pool {
    /// A pool of `connections`; a call that waits more than `wait_limit` for one answers
    /// [`StoreError::Unavailable`]. `name` says what the pool is for, in errors.
    pub fn new(name: &'static str, connections: Vec<Connection>, wait_limit: Duration) -> Arc<Self> {
        let permits = Arc::new(Semaphore::new(connections.len()));
        Arc::new(Self { idle: Mutex::new(connections), permits, wait_limit, name })
    }

    /// Runs `work` with a connection of the pool, on a blocking thread, once one is free.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = tokio::time::timeout(self.wait_limit, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| {
                StoreError::Unavailable(
                    format!("no {} connection was free within {:?}", self.name, self.wait_limit).into(),
                )
            })?
            .map_err(|closed| StoreError::Failed(closed.into()))?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut connection = pool.check_out()?;
            // A panic rolls back the transaction it interrupts, so the connection can serve again.
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| work(&mut connection)));
            pool.idle.lock().unwrap_or_else(PoisonError::into_inner).push(connection);
            outcome.unwrap_or_else(|_| Err(StoreError::Failed("a database call panicked".into())))
        })
        .await
        .map_err(|failed| StoreError::Failed(format!("a database call did not finish: {failed}").into()))?
    }

    /// An idle connection; there is one for every permit.
    fn check_out(&self) -> Result<Connection, StoreError> {
        let connection = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        connection
            .ok_or_else(|| StoreError::Failed(format!("the {} pool has a permit but no connection", self.name).into()))
    }
}
