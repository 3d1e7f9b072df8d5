//! The timer [`serve`](crate::serve) gives each connection's hyper: one tokio sleep for the
//! connection's whole life, which the deadlines of all its request heads share.
//!
//! hyper's HTTP/1 server asks its timer for a new sleep every time it starts waiting for a
//! request head, and drops the sleep once the head is in. With hyper-util's `TokioTimer` each
//! of those sleeps is a new entry put into tokio's timer wheel and taken out again, under the
//! wheel's lock: on the unknown-route floor about 690 of the request's 21,600 user-space
//! instructions (callgrind). Here a sleep hyper asks for is a handle on the connection's one
//! tokio sleep, which stays set for the deadline of an earlier head: when it ends before the
//! deadline of the sleep polled now, it is set again for that one. A connection busy with
//! requests thus touches the wheel once per deadline's length, not once per request.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::rt::{Sleep, Timer};

/// The timer of one connection. Its sleeps share one tokio sleep, so it suits a user that has
/// at most one sleep running at a time, as hyper's HTTP/1 server (the header-read deadline).
pub(crate) struct ConnectionTimer {
    shared: Arc<Mutex<Pin<Box<tokio::time::Sleep>>>>,
}

impl ConnectionTimer {
    /// A timer whose tokio sleep is made, not yet filed in the wheel: a connection that never
    /// waits for a head costs no wheel entry.
    pub(crate) fn new() -> Self {
        let sleep = tokio::time::sleep_until(tokio::time::Instant::now());
        Self { shared: Arc::new(Mutex::new(Box::pin(sleep))) }
    }
}

impl Timer for ConnectionTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.sleep_until(self.now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        Box::pin(ConnectionSleep { shared: Arc::clone(&self.shared), deadline: deadline.into() })
    }

    /// hyper reckons its deadlines from here: tokio's clock, which a test can pause and advance.
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }
}

/// One sleep hyper asked for: done once `deadline` has passed.
struct ConnectionSleep {
    shared: Arc<Mutex<Pin<Box<tokio::time::Sleep>>>>,
    deadline: tokio::time::Instant,
}

impl Future for ConnectionSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Only the connection's own task polls its sleeps: the lock is never contended.
        let mut sleep = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        if sleep.deadline() > self.deadline {
            sleep.as_mut().reset(self.deadline);
        }
        // The shared sleep may still be set for an earlier head, whose deadline is sooner than
        // this one's: it is moved to this one's only once it ends, so that a request costs no
        // change to the timer at all.
        while sleep.as_mut().poll(cx).is_ready() {
            if sleep.deadline() >= self.deadline {
                return Poll::Ready(());
            }
            sleep.as_mut().reset(self.deadline);
        }
        Poll::Pending
    }
}

impl Sleep for ConnectionSleep {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `sleep` is done when polled now.
    fn done(sleep: &mut Pin<Box<dyn Sleep>>) -> bool {
        let mut context = Context::from_waker(std::task::Waker::noop());
        sleep.as_mut().poll(&mut context).is_ready()
    }

    #[tokio::test(start_paused = true)]
    async fn a_sleep_ends_at_its_own_deadline() {
        let timer = ConnectionTimer::new();
        let mut sleep = timer.sleep(Duration::from_secs(10));
        assert!(!done(&mut sleep));
        tokio::time::advance(Duration::from_secs(9)).await;
        assert!(!done(&mut sleep));
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(done(&mut sleep));
    }

    #[tokio::test(start_paused = true)]
    async fn each_new_sleep_moves_the_deadline_and_an_old_one_does_not_end_it() {
        let timer = ConnectionTimer::new();
        let mut first = timer.sleep(Duration::from_secs(10));
        assert!(!done(&mut first));
        drop(first);
        tokio::time::advance(Duration::from_secs(8)).await;
        // The next head's sleep: ten seconds from now, although the first would end in two.
        let mut second = timer.sleep(Duration::from_secs(10));
        assert!(!done(&mut second));
        tokio::time::advance(Duration::from_secs(5)).await;
        assert!(!done(&mut second), "the first sleep's deadline ended the second");
        tokio::time::advance(Duration::from_secs(6)).await;
        assert!(done(&mut second));
    }

    #[tokio::test(start_paused = true)]
    async fn a_sleep_whose_deadline_passed_before_it_was_polled_is_done() {
        let timer = ConnectionTimer::new();
        let mut sleep = timer.sleep(Duration::from_millis(5));
        tokio::time::advance(Duration::from_millis(6)).await;
        assert!(done(&mut sleep));
        let mut later = timer.sleep(Duration::from_secs(1));
        assert!(!done(&mut later), "a new sleep after one that ended starts again");
    }
}
