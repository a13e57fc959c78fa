//! The conversation rules. Pure: facts and `now` in, verdict out; no I/O, no clock. DOMAIN.md
//! names no rule id for conversations; the rules are the product's:
//!
//! - a message is its trimmed body of 1–[`MAX_BODY_CHARS`] characters, or an attachment;
//! - cooling-off: a teacher may pause the guardian for 0–[`MAX_BLOCK_HOURS`] hours (0 lifts it);
//!   while paused the guardian cannot write, the teacher still can;
//! - attachments are images (PNG, JPEG, GIF, WebP) or PDF, recognised by their bytes;
//! - who takes part (a full guardian of the child and a teacher of its class; school admins
//!   read for safeguarding) is decided in `crate::access`.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::error::ConversationError;
use crate::access::ConversationParticipant;
use crate::input::optional_text;

pub const MAX_BODY_CHARS: usize = 2_000;
pub const MAX_BLOCK_HOURS: i64 = 168;
/// How much of a message an inbox line, a push or a conversation list shows.
const PREVIEW_CHARS: usize = 80;

/// A message to send, parsed from the request: a trimmed body within bounds, or an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDraft {
    body: String,
    attachment_id: Option<Uuid>,
}

impl MessageDraft {
    pub fn parse(body: &str, attachment_id: Option<Uuid>) -> Result<Self, ConversationError> {
        let body = optional_text(body, MAX_BODY_CHARS).map_err(|_| ConversationError::InvalidBody)?;
        if body.is_none() && attachment_id.is_none() {
            return Err(ConversationError::InvalidBody);
        }
        Ok(MessageDraft { body: body.unwrap_or_default().to_owned(), attachment_id })
    }

    pub fn body(&self) -> &str {
        &self.body
    }

    pub fn attachment_id(&self) -> Option<Uuid> {
        self.attachment_id
    }

    pub fn into_body(self) -> String {
        self.body
    }
}

/// A cooling-off period the teacher sets: none lifts a pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoolingOff(Option<Duration>);

impl CoolingOff {
    pub fn parse(hours: i64) -> Result<Self, ConversationError> {
        if !(0..=MAX_BLOCK_HOURS).contains(&hours) {
            return Err(ConversationError::InvalidBlockHours);
        }
        Ok(CoolingOff((hours > 0).then(|| Duration::hours(hours))))
    }

    /// Until when the guardian is paused, starting `now`.
    pub fn until(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.0.map(|length| now + length)
    }
}

/// Whether `writer` may send now: a guardian not while the teacher's pause lasts.
pub fn may_send(
    writer: ConversationParticipant,
    guardian_blocked_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), ConversationError> {
    match (writer, guardian_blocked_until) {
        (ConversationParticipant::Guardian, Some(until)) if until > now => Err(ConversationError::Paused { until }),
        _ => Ok(()),
    }
}

/// The content type of an attachment, from its bytes (never the client's word for it).
pub fn attachment_type(bytes: &[u8]) -> Result<&'static str, ConversationError> {
    crate::files::sniff(bytes).ok_or(ConversationError::UnsupportedAttachmentType)
}

/// The start of a message, as a conversation list shows it.
pub fn snippet(body: &str) -> String {
    body.chars().take(PREVIEW_CHARS).collect()
}

/// How a message shows in an inbox, a push or an email: its start, or that it is an attachment.
pub fn preview(body: &str) -> String {
    if body.is_empty() { "[附件]".to_owned() } else { snippet(body) }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("valid instant")
    }

    #[test]
    fn a_message_is_its_trimmed_body_of_at_most_2000_characters() {
        let draft = MessageDraft::parse("  老师好  ", None).expect("valid");
        assert_eq!(draft.body(), "老师好");
        assert!(MessageDraft::parse(&"字".repeat(MAX_BODY_CHARS), None).is_ok());
        assert_eq!(MessageDraft::parse(&"字".repeat(MAX_BODY_CHARS + 1), None), Err(ConversationError::InvalidBody));
    }

    #[test]
    fn an_empty_message_needs_an_attachment() {
        assert_eq!(MessageDraft::parse("   ", None), Err(ConversationError::InvalidBody));
        let attachment = Uuid::new_v4();
        let draft = MessageDraft::parse("", Some(attachment)).expect("an attachment alone is a message");
        assert_eq!((draft.body(), draft.attachment_id()), ("", Some(attachment)));
    }

    #[test]
    fn cooling_off_lasts_0_to_168_hours_and_0_lifts_it() {
        assert_eq!(CoolingOff::parse(0).expect("lifts").until(now()), None);
        assert_eq!(CoolingOff::parse(24).expect("a day").until(now()), Some(now() + Duration::hours(24)));
        assert!(CoolingOff::parse(MAX_BLOCK_HOURS).is_ok());
        assert_eq!(CoolingOff::parse(MAX_BLOCK_HOURS + 1), Err(ConversationError::InvalidBlockHours));
        assert_eq!(CoolingOff::parse(-1), Err(ConversationError::InvalidBlockHours));
    }

    #[test]
    fn a_paused_guardian_cannot_write_until_the_pause_ends() {
        let until = now() + Duration::hours(1);
        assert_eq!(
            may_send(ConversationParticipant::Guardian, Some(until), now()),
            Err(ConversationError::Paused { until })
        );
        assert_eq!(may_send(ConversationParticipant::Guardian, Some(until), until), Ok(()));
        assert_eq!(may_send(ConversationParticipant::Guardian, None, now()), Ok(()));
    }

    #[test]
    fn the_teacher_may_write_while_the_guardian_is_paused() {
        let until = now() + Duration::hours(1);
        assert_eq!(may_send(ConversationParticipant::Teacher, Some(until), now()), Ok(()));
    }

    #[test]
    fn attachments_other_than_images_and_pdf_are_an_unsupported_attachment_type() {
        assert_eq!(attachment_type(b"%PDF-1.7"), Ok("application/pdf"));
        assert_eq!(attachment_type(b"MZ\x90\x00"), Err(ConversationError::UnsupportedAttachmentType));
    }

    #[test]
    fn a_preview_is_the_start_of_the_body_or_says_attachment() {
        assert_eq!(preview(""), "[附件]");
        assert_eq!(preview(&"长".repeat(100)).chars().count(), 80);
        assert_eq!(snippet(""), "");
    }
}
