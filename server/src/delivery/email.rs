//! Email content: messages render from templates in the recipient's language; the transport is
//! [`crate::infra::mailer`].

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};

use crate::i18n::Lang;

/// A rendered email.
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// What an item email says, in the recipient's language.
pub struct ItemEmail<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub sender_name: &'a str,
    pub children: &'a [String],
    pub reminder: bool,
    pub awaiting_response: bool,
}

pub fn render_item(lang: Lang, item: &ItemEmail<'_>) -> Email {
    match lang {
        Lang::ZhCn => {
            let prefix = if item.reminder { "【提醒】" } else { "" };
            let about =
                if item.children.is_empty() { String::new() } else { format!("（{}）", item.children.join("、")) };
            let ask = if item.awaiting_response { "\n\n请在家校 App 中回复。" } else { "" };
            Email {
                subject: format!("{prefix}{}{about}", item.title),
                body: format!("{}：\n\n{}{ask}\n\n—— 家校（请勿直接回复本邮件）", item.sender_name, item.body),
            }
        }
        Lang::En => {
            let prefix = if item.reminder { "Reminder: " } else { "" };
            let about =
                if item.children.is_empty() { String::new() } else { format!(" ({})", item.children.join(", ")) };
            let ask = if item.awaiting_response { "\n\nPlease answer in the Jiaxiao app." } else { "" };
            Email {
                subject: format!("{prefix}{}{about}", item.title),
                body: format!("{}:\n\n{}{ask}\n\n— Jiaxiao (do not reply to this email)", item.sender_name, item.body),
            }
        }
    }
}

pub fn build_message(from: &str, to: &str, email: &Email, message_id: &str) -> anyhow::Result<Message> {
    let from: Mailbox = from.parse()?;
    let to: Mailbox = to.parse()?;
    Ok(Message::builder()
        .from(from)
        .to(to)
        .message_id(Some(message_id.to_owned()))
        .subject(email.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(email.body.clone())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_render_in_the_recipients_language_naming_the_children() {
        let item = ItemEmail {
            title: "春游通知",
            body: "周五春游。",
            sender_name: "王老师",
            children: &["张小一".into(), "张小二".into()],
            reminder: true,
            awaiting_response: true,
        };
        let zh = render_item(Lang::ZhCn, &item);
        assert_eq!(zh.subject, "【提醒】春游通知（张小一、张小二）");
        assert!(zh.body.contains("请在家校 App 中回复"));
        let en = render_item(Lang::En, &item);
        assert_eq!(en.subject, "Reminder: 春游通知 (张小一, 张小二)");
    }
}
