//! [`Writer`]: the one SQLite connection that writes, owned by a thread of its own that commits
//! the writes waiting for it together (group commit).
//!
//! SQLite has one writer at a time, so writes queue whatever the design. Lending the connection
//! to one task at a time (as the readers' [`super::pool::Pool`] does) leaves it idle between
//! two writes while the next task is woken and given a blocking thread, and pays one commit per
//! write. Here the thread takes every write queued meanwhile into one transaction, each in a
//! savepoint of its own so that one write's failure undoes that write alone, commits once, and
//! only then answers each: an answered write is committed, as before.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, TransactionBehavior};
use tokio::sync::oneshot;

use super::StoreError;

/// At most this many writes share a transaction, so that the first of them waits a bounded time.
const BATCH_LIMIT: usize = 256;

/// The handle the store's methods send writes through; the thread ends when it is dropped.
#[derive(Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

/// One write: its work, run by the thread, and when it was queued.
struct Job {
    run: Box<dyn FnOnce(Turn<'_>) -> Option<Completion> + Send>,
    queued: Instant,
}

/// What the thread does with a job: run it on the connection, or refuse it unrun.
enum Turn<'a> {
    Run(&'a Connection),
    Refuse(StoreError),
}

/// A job whose work succeeded, told whether its transaction was committed.
type Completion = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

impl Writer {
    /// Starts the thread that owns `connection`. A write that waited `wait_limit` for its turn
    /// (behind another process's lock, say) is answered [`StoreError::Unavailable`] unrun.
    pub fn start(connection: Connection, wait_limit: Duration) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel();
        thread::Builder::new()
            .name("sqlite-writer".to_owned())
            .spawn(move || write_batches(connection, &queue, wait_limit))?;
        Ok(Self { jobs })
    }

    /// Runs `work` in the writer's next transaction, and answers once that is committed.
    pub async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.write_then(work, |value| value).await
    }

    /// Like [`Writer::write`], and once the transaction is committed, `then` turns the work's
    /// value into the answer on the writer's thread. The writes' `then`s therefore run in the
    /// order of their commits, which a caller's own code after the answer would not.
    pub async fn write_then<T, U, F, G>(&self, work: F, then: G) -> Result<U, StoreError>
    where
        T: Send + 'static,
        U: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
        G: FnOnce(T) -> U + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let run = move |turn: Turn<'_>| -> Option<Completion> {
            let connection = match turn {
                Turn::Run(connection) => connection,
                Turn::Refuse(error) => {
                    let _ = answer.send(Err(error));
                    return None;
                }
            };
            // A panic undoes the savepoint it interrupts, and the other writes go on.
            match panic::catch_unwind(AssertUnwindSafe(|| work(connection))) {
                Ok(Ok(value)) => Some(Box::new(move |committed: Result<(), StoreError>| {
                    let _ = answer.send(committed.map(|()| then(value)));
                })),
                Ok(Err(error)) => {
                    let _ = answer.send(Err(error));
                    None
                }
                Err(_) => {
                    let _ = answer.send(Err(StoreError::Failed("a database call panicked".into())));
                    None
                }
            }
        };
        let job = Job { run: Box::new(run), queued: Instant::now() };
        self.jobs.send(job).map_err(|_| StoreError::Failed("the database's writer has stopped".into()))?;
        answered
            .await
            .unwrap_or_else(|_| Err(StoreError::Failed("the database's writer stopped before answering".into())))
    }
}

fn write_batches(mut connection: Connection, queue: &mpsc::Receiver<Job>, wait_limit: Duration) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH_LIMIT {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&mut connection, batch, wait_limit);
    }
}

fn commit_batch(connection: &mut Connection, batch: Vec<Job>, wait_limit: Duration) {
    let mut transaction = match connection.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(transaction) => transaction,
        Err(error) => return refuse_all(batch, &StoreError::from(error)),
    };
    let mut completions = Vec::with_capacity(batch.len());
    for job in batch {
        let waited = job.queued.elapsed();
        if waited > wait_limit {
            (job.run)(Turn::Refuse(StoreError::Unavailable(
                format!("the write waited {waited:?} for its turn").into(),
            )));
            continue;
        }
        let savepoint = match transaction.savepoint() {
            Ok(savepoint) => savepoint,
            Err(error) => {
                (job.run)(Turn::Refuse(StoreError::from(error)));
                continue;
            }
        };
        match (job.run)(Turn::Run(&savepoint)) {
            Some(completion) => match savepoint.commit() {
                Ok(()) => completions.push(completion),
                Err(error) => completion(Err(StoreError::from(error))),
            },
            // Dropping the savepoint rolls this write back.
            None => drop(savepoint),
        }
    }
    let committed = transaction.commit().map_err(StoreError::from);
    for completion in completions {
        completion(match &committed {
            Ok(()) => Ok(()),
            Err(error) => Err(error.shared()),
        });
    }
}

fn refuse_all(batch: Vec<Job>, error: &StoreError) {
    for job in batch {
        (job.run)(Turn::Refuse(error.shared()));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn writer() -> Writer {
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)").unwrap();
        Writer::start(connection, Duration::from_secs(5)).unwrap()
    }

    fn insert(n: i64) -> impl FnOnce(&Connection) -> Result<usize, StoreError> + Send + 'static {
        move |connection| Ok(connection.execute("INSERT INTO t (n) VALUES (?1)", [n])?)
    }

    async fn count(writer: &Writer) -> i64 {
        writer
            .write(|connection| Ok(connection.query_row("SELECT count(*) FROM t", [], |row| row.get(0))?))
            .await
            .unwrap()
    }

    /// Runs `writes` while a write of its own holds the writer's thread, and lets the thread go
    /// once `writes` was polled, and so queued, once: the thread then finds every write of
    /// `writes` queued and takes them into one transaction, however the threads are scheduled.
    /// `writes` must queue all its writes on its first poll, as `join!` and `join_all` do.
    async fn in_one_batch<T>(writer: &Writer, writes: impl Future<Output = T>) -> T {
        let (running, is_running) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let gate = writer.write(move |_: &Connection| {
            running.send(()).unwrap();
            released.recv_timeout(Duration::from_secs(10)).unwrap();
            Ok(())
        });
        // `join!` polls in order: the gate is queued and running before `writes` is polled.
        let (gate, (outcome, ())) = tokio::join!(gate, async {
            is_running.recv_timeout(Duration::from_secs(10)).unwrap();
            tokio::join!(writes, async { release.send(()).unwrap() })
        });
        gate.unwrap();
        outcome
    }

    /// A write that holds the thread for 100 ms, for a write queued behind it to wait.
    fn slow_first(writer: &Writer) -> impl Future<Output = Result<usize, StoreError>> + '_ {
        writer.write(|connection| {
            thread::sleep(Duration::from_millis(100));
            Ok(connection.execute("INSERT INTO t (n) VALUES (0)", [])?)
        })
    }

    #[tokio::test]
    async fn a_failing_write_in_a_batch_undoes_itself_alone() {
        let writer = writer();
        let first = writer.write(insert(0));
        let others = futures_util::future::join_all((1..=20).map(|n| writer.write(insert(n))));
        // 7 is written twice: the second is refused by the key, and the rest of its batch stays.
        let again = writer.write(insert(7));
        let (first, others, again) = in_one_batch(&writer, async { tokio::join!(first, others, again) }).await;
        assert_eq!(first.unwrap(), 1);
        assert!(others.iter().all(|inserted| matches!(inserted, Ok(1))));
        assert!(matches!(again, Err(StoreError::Failed(_))), "{again:?}");
        assert_eq!(count(&writer).await, 21);
    }

    #[tokio::test]
    async fn writes_queued_together_are_committed_together() {
        let path = std::env::temp_dir().join(format!("scalr-writer-batch-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let connection = Connection::open(&path).unwrap();
        connection.execute_batch("PRAGMA journal_mode = wal; CREATE TABLE t (n INTEGER PRIMARY KEY)").unwrap();
        let writer = Writer::start(connection, Duration::from_secs(5)).unwrap();
        let observer = Connection::open(&path).unwrap();
        let first = writer.write(insert(1));
        // Queued behind the first write: it sees the first one's row, which another connection
        // cannot see yet, because both are in the transaction still open.
        let second = writer.write(move |connection| {
            let own: i64 = connection.query_row("SELECT count(*) FROM t", [], |row| row.get(0))?;
            let committed: i64 = observer.query_row("SELECT count(*) FROM t", [], |row| row.get(0))?;
            Ok((own, committed))
        });
        let (first, second) = in_one_batch(&writer, async { tokio::join!(first, second) }).await;
        assert_eq!(first.unwrap(), 1);
        assert_eq!(second.unwrap(), (1, 0), "the second write ran in the first one's transaction");
        drop(writer);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[tokio::test]
    async fn the_after_commit_steps_run_in_the_order_of_the_commits() {
        let writer = writer();
        let applied = Arc::new(std::sync::Mutex::new(Vec::new()));
        let writes = (1..=50).map(|n| {
            let applied = Arc::clone(&applied);
            let reading = move |connection: &Connection| -> Result<i64, StoreError> {
                connection.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
                Ok(connection.query_row("SELECT count(*) FROM t", [], |row| row.get(0))?)
            };
            // Each reading includes every earlier write: applied in commit order, the last one
            // applied is the newest.
            writer.write_then(reading, move |count| applied.lock().unwrap().push(count))
        });
        for written in futures_util::future::join_all(writes).await {
            written.unwrap();
        }
        let applied = applied.lock().unwrap().clone();
        assert_eq!(applied, (1..=50).collect::<Vec<i64>>());
    }

    #[tokio::test]
    async fn a_panicking_write_is_answered_and_the_others_are_committed() {
        let writer = writer();
        let first = writer.write(insert(0));
        let panics = writer.write(|connection| -> Result<(), StoreError> {
            connection.execute("INSERT INTO t (n) VALUES (100)", [])?;
            panic!("a bug in a write");
        });
        let after = writer.write(insert(101));
        let (first, panicked, after) = in_one_batch(&writer, async { tokio::join!(first, panics, after) }).await;
        assert!(first.is_ok() && after.is_ok());
        assert!(
            matches!(&panicked, Err(StoreError::Failed(why)) if why.to_string().contains("panicked")),
            "{panicked:?}"
        );
        let kept: Vec<i64> = writer
            .write(|connection| {
                let mut statement = connection.prepare("SELECT n FROM t ORDER BY n")?;
                Ok(statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?)
            })
            .await
            .unwrap();
        assert_eq!(kept, [0, 101], "the panicking write's row was rolled back");
    }

    #[tokio::test]
    async fn a_write_queued_longer_than_the_wait_limit_is_refused_unrun() {
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)").unwrap();
        let writer = Writer::start(connection, Duration::from_millis(20)).unwrap();
        let (first, late) = tokio::join!(slow_first(&writer), writer.write(insert(1)));
        assert!(first.is_ok());
        assert!(matches!(late, Err(StoreError::Unavailable(_))), "{late:?}");
        assert_eq!(count(&writer).await, 1, "the refused write was not run");
    }
}
