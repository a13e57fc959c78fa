//! Turns in this instance: requests that would queue behind the same database row lock queue here
//! instead, before they take a connection from the pool.
//!
//! Why: a request waiting for a row lock holds a pooled connection while it waits. When many
//! requests race for one teacher's calendar, the pool fills with waiters, and requests for other
//! teachers, which could run, wait for a connection. Waiting here costs nothing, and whoever's
//! turn comes next reads what the one before committed, so most losers of a race are refused by a
//! plain read instead of a transaction. The database lock still decides: across instances, and
//! for every path that takes no turn. A turn only orders the requests of one instance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::{Mutex as Queue, OwnedMutexGuard};
use uuid::Uuid;

/// Queues above which the map drops those nobody holds or waits for.
const TIDY_ABOVE: usize = 1_024;

#[derive(Default)]
pub struct Turns {
    queues: Mutex<HashMap<Uuid, Weak<Queue<()>>>>,
}

/// The turns of some keys, held until dropped.
#[must_use = "the turn ends when this is dropped"]
pub struct Turn {
    _held: Vec<OwnedMutexGuard<()>>,
}

impl Turns {
    /// Waits for the turn of every key, taken in one order (the keys sorted) so that two requests
    /// sharing keys cannot each hold one the other waits for. Waiters are served first come,
    /// first served.
    pub async fn take(&self, keys: &[Uuid]) -> Turn {
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut held = Vec::with_capacity(keys.len());
        for key in keys {
            held.push(self.queue(key).lock_owned().await);
        }
        Turn { _held: held }
    }

    fn queue(&self, key: Uuid) -> Arc<Queue<()>> {
        let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(queue) = queues.get(&key).and_then(Weak::upgrade) {
            return queue;
        }
        if queues.len() >= TIDY_ABOVE {
            queues.retain(|_, queue| queue.strong_count() > 0);
        }
        let queue = Arc::new(Queue::new(()));
        queues.insert(key, Arc::downgrade(&queue));
        queue
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_key_is_held_by_one_turn_at_a_time_and_others_run_beside_it() {
        let turns = Turns::default();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let held = turns.take(&[b, a]).await;
        let same = tokio::time::timeout(Duration::from_millis(50), turns.take(&[a])).await;
        assert!(same.is_err(), "a key held is not given to a second turn");
        let other = tokio::time::timeout(Duration::from_millis(50), turns.take(&[Uuid::new_v4()])).await;
        assert!(other.is_ok(), "another key is free meanwhile");
        drop(held);
        let after = tokio::time::timeout(Duration::from_millis(50), turns.take(&[a, a])).await;
        assert!(after.is_ok(), "the key is free once the turn ends (a key named twice is taken once)");
    }

    #[tokio::test]
    async fn queues_nobody_holds_are_dropped_as_the_map_grows() {
        let turns = Turns::default();
        for _ in 0..(TIDY_ABOVE * 2) {
            drop(turns.take(&[Uuid::new_v4()]).await);
        }
        let kept = turns.queues.lock().unwrap().len();
        assert!(kept <= TIDY_ABOVE, "{kept} queues kept");
    }
}
