//! Notice queries. The audience is resolved by [`crate::org::audience`] and fanned out by the
//! inbox ([`crate::inbox::items::fan_out`]).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::org::audience::{self, Target};

/// Delivers a notice into its recipients' inboxes. Returns the number of recipients.
pub async fn fan_out(
    db: &impl ConnectionTrait,
    notice_id: Uuid,
    target: &Target,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    items::fan_out(db, ItemKind::Notice, notice_id, audience::recipients(target), now).await
}
