//! The log's writer: a line is appended to a shared buffer, and a thread of its own writes the
//! buffer out a few milliseconds after its first line.
//!
//! A request thereby pays a short lock and a copy of its line, and never a system call. A
//! per-line channel (tracing-appender's) wakes its worker for nearly every line under load:
//! that worker took about 9 % of the server's CPU, this thread takes under 1 %, and the
//! unknown-route floor gained about a tenth (`BENCHMARKS.md`, the loopback section). Nothing
//! is dropped: past [`BUFFER_LIMIT`] bytes a writer waits for the thread to catch up.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle, Thread};
use std::time::Duration;

/// How long the thread lets lines gather after the first one, before it writes them all.
pub const FLUSH_DELAY: Duration = Duration::from_millis(10);

/// The buffered bytes past which a writer waits for the thread rather than grow the buffer.
pub const BUFFER_LIMIT: usize = 4 * 1024 * 1024;

/// A cheap handle that appends whole lines to the shared buffer: give
/// `tracing_subscriber::fmt().with_writer(move || log.clone())` one.
#[derive(Clone)]
pub struct BatchedLog {
    shared: Arc<Shared>,
    flusher: Thread,
}

/// Keeps the writing thread running; dropping it writes what is left and ends the thread.
#[must_use = "dropping the guard stops the log's writer"]
pub struct FlushGuard {
    shared: Arc<Shared>,
    flusher: Option<JoinHandle<()>>,
}

struct Shared {
    state: Mutex<Pending>,
    /// Signalled after each drain, for the writers waiting at the limit.
    drained: Condvar,
}

#[derive(Default)]
struct Pending {
    bytes: Vec<u8>,
    closed: bool,
}

impl BatchedLog {
    /// Starts the thread `thread_name` that writes the lines to `out`.
    pub fn new(out: impl Write + Send + 'static, thread_name: &str) -> io::Result<(BatchedLog, FlushGuard)> {
        let shared = Arc::new(Shared { state: Mutex::new(Pending::default()), drained: Condvar::new() });
        let flusher = thread::Builder::new().name(thread_name.to_owned()).spawn({
            let shared = Arc::clone(&shared);
            move || write_batches(&shared, out)
        })?;
        let log = BatchedLog { shared: Arc::clone(&shared), flusher: flusher.thread().clone() };
        Ok((log, FlushGuard { shared, flusher: Some(flusher) }))
    }
}

impl BatchedLog {
    /// Appends `line` (whole lines) to the buffer; waits while the buffer is past
    /// [`BUFFER_LIMIT`].
    pub fn append(&self, line: &[u8]) {
        let mut pending = self.shared.lock();
        while pending.bytes.len() >= BUFFER_LIMIT && !pending.closed {
            pending = self.shared.drained.wait(pending).unwrap_or_else(PoisonError::into_inner);
        }
        let was_empty = pending.bytes.is_empty();
        pending.bytes.extend_from_slice(line);
        drop(pending);
        // Only the first line of a batch wakes the thread; the others find it awake.
        if was_empty {
            self.flusher.unpark();
        }
    }
}

impl Write for BatchedLog {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        self.append(line);
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // A panic while the buffer was locked leaves whole lines in it: keep using it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn write_batches(shared: &Shared, mut out: impl Write) {
    let mut batch = Vec::new();
    loop {
        thread::park();
        if !shared.lock().closed {
            thread::sleep(FLUSH_DELAY);
        }
        let closed = {
            let mut pending = shared.lock();
            std::mem::swap(&mut pending.bytes, &mut batch);
            pending.closed
        };
        shared.drained.notify_all();
        // Nowhere is left to report a failing log to: the lines are dropped, the server goes on.
        let _ = out.write_all(&batch).and_then(|()| out.flush());
        batch.clear();
        if closed {
            return;
        }
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        if let Some(flusher) = self.flusher.take() {
            flusher.thread().unpark();
            let _ = flusher.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `out` the test can read back.
    #[derive(Clone, Default)]
    struct Collected(Arc<Mutex<Vec<u8>>>);

    impl Write for Collected {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_reach_the_output_soon_after_they_are_written() {
        let out = Collected::default();
        let (mut log, _guard) = BatchedLog::new(out.clone(), "test-log").unwrap();
        log.write_all(b"first\n").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while out.0.lock().unwrap().is_empty() {
            assert!(std::time::Instant::now() < deadline, "the line was never written");
            thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(&*out.0.lock().unwrap(), b"first\n");
    }

    #[test]
    fn every_line_of_many_threads_is_written_whole_by_the_time_the_guard_is_dropped() {
        let out = Collected::default();
        let (log, guard) = BatchedLog::new(out.clone(), "test-log").unwrap();
        let writers: Vec<_> = (0..4)
            .map(|writer| {
                let mut log = log.clone();
                thread::spawn(move || {
                    for line in 0..5000 {
                        log.write_all(format!("writer {writer} line {line}\n").as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        drop(guard);
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 20_000);
        lines.sort_unstable();
        lines.dedup();
        assert_eq!(lines.len(), 20_000, "a line was written twice or torn");
        assert!(lines.iter().all(|line| line.starts_with("writer ")));
    }

    #[test]
    fn a_writer_at_the_limit_waits_for_the_thread_instead_of_dropping_lines() {
        let out = Collected::default();
        let (mut log, guard) = BatchedLog::new(out.clone(), "test-log").unwrap();
        let line = vec![b'x'; 64 * 1024];
        let lines = 3 * BUFFER_LIMIT / line.len();
        for _ in 0..lines {
            log.write_all(&line).unwrap();
        }
        drop(guard);
        assert_eq!(out.0.lock().unwrap().len(), lines * line.len());
    }
}
