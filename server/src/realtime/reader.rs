//! One read for many woken streams.
//!
//! A school-wide notice wakes thousands of streams at once. Each used to read its own new items:
//! thousands of queries queueing for a pool of a few connections, the last stream served after
//! all the others. Instead each stream hands its position to this instance's reader, which
//! collects every position waiting (up to [`MAX_POSITIONS`]) into one query
//! ([`crate::inbox::service::items_after_each`]) and answers each stream with its own items. A few
//! readers work side by side, so a class notice does not wait behind a school's.

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::{Mutex, mpsc, oneshot};
use uuid::Uuid;

use crate::inbox::model::inbox_item;

/// Positions read in one query: large enough that a school's wake-up is a handful of queries,
/// small enough that the first answers go out without waiting for the whole school.
pub const MAX_POSITIONS: usize = 500;

/// Queries running at once: each holds one pooled connection.
const READERS: usize = 4;

/// Items answered per ask at most: a stream given a full page asks again from its end.
pub const PAGE: u64 = 200;

type Answer = Result<Vec<inbox_item::Model>, DbErr>;

struct Ask {
    account: Uuid,
    after: i64,
    reply: oneshot::Sender<Answer>,
}

/// Hands out the new items of woken streams, read in batches.
pub struct Reader {
    asks: mpsc::UnboundedSender<Ask>,
}

impl Reader {
    /// Starts the readers on the current runtime; they stop when the `Reader` is dropped.
    pub fn start(db: DatabaseConnection) -> Self {
        let (asks, queue) = mpsc::unbounded_channel();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..READERS {
            tokio::spawn(read(db.clone(), queue.clone()));
        }
        Self { asks }
    }

    /// Up to a [`PAGE`] of `account`'s items after `after`, in `seq` order.
    pub async fn items_after(&self, account: Uuid, after: i64) -> Answer {
        let (reply, answer) = oneshot::channel();
        let stopped = || DbErr::Custom("the event reader stopped".into());
        self.asks.send(Ask { account, after, reply }).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// One reader: takes whatever is waiting (at least one ask), reads it in one query, answers.
/// While it reads, the queue belongs to the next reader, and new asks gather for it.
async fn read(db: DatabaseConnection, queue: Arc<Mutex<mpsc::UnboundedReceiver<Ask>>>) {
    loop {
        let batch = {
            let mut queue = queue.lock().await;
            let Some(first) = queue.recv().await else { return };
            let mut batch = vec![first];
            while batch.len() < MAX_POSITIONS {
                match queue.try_recv() {
                    Ok(ask) => batch.push(ask),
                    Err(_) => break,
                }
            }
            batch
        };
        let positions: Vec<(Uuid, i64)> = batch.iter().map(|a| (a.account, a.after)).collect();
        match crate::inbox::service::items_after_each(&db, &positions, PAGE).await {
            Ok(answers) => {
                for (ask, items) in batch.into_iter().zip(answers) {
                    let _ = ask.reply.send(Ok(items)); // a stream gone meanwhile needs nothing
                }
            }
            Err(error) => {
                let message = error.to_string();
                for ask in batch {
                    let _ = ask.reply.send(Err(DbErr::Custom(message.clone())));
                }
            }
        }
    }
}
