//! The daily digest: a family that asks for it gets one push and one email a day — across all
//! children and schools, not one per school — instead of instant notifications. Urgent notices
//! still go at once.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::email::Email;
use crate::i18n::Lang;

/// When digests go out: 17:00, after school and before dinner. A digest spans an account's
/// schools, so it keeps the default zone's clock rather than any one school's.
pub const DIGEST_TIME: &str = "17:00";

fn digest_zone() -> Tz {
    crate::org::model::default_zone()
}

/// The first digest time strictly after `now`.
pub fn next_digest(now: DateTime<Utc>) -> DateTime<Utc> {
    let at = NaiveTime::parse_from_str(DIGEST_TIME, "%H:%M").unwrap_or(NaiveTime::MIN);
    let local = now.with_timezone(&digest_zone());
    let mut date = local.date_naive();
    if local.time() >= at {
        date += Duration::days(1);
    }
    digest_zone().from_local_datetime(&date.and_time(at)).earliest().map_or(now, |t| t.with_timezone(&Utc))
}

/// One line of a digest.
#[derive(Debug, Clone)]
pub struct DigestLine {
    pub title: String,
    pub sender_name: String,
    pub children: Vec<String>,
}

pub fn render(lang: Lang, lines: &[DigestLine]) -> Email {
    let n = lines.len();
    let body: Vec<String> = lines
        .iter()
        .map(|l| {
            let about = if l.children.is_empty() { String::new() } else { format!(" ({})", l.children.join(", ")) };
            format!("• {}{about} — {}", l.title, l.sender_name)
        })
        .collect();
    match lang {
        Lang::ZhCn => Email {
            subject: format!("家校每日汇总：{n} 条新消息"),
            body: format!("今天的新消息：\n\n{}\n\n请在家校 App 中查看详情。", body.join("\n")),
        },
        Lang::En => Email {
            subject: format!("Jiaxiao daily digest: {n} new item{}", if n == 1 { "" } else { "s" }),
            body: format!("New today:\n\n{}\n\nOpen the Jiaxiao app for details.", body.join("\n")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        digest_zone().with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_next_digest_is_today_at_five_or_tomorrow() {
        assert_eq!(next_digest(shanghai(23, 16, 0)), shanghai(23, 17, 0));
        assert_eq!(next_digest(shanghai(23, 17, 0)), shanghai(24, 17, 0));
        assert_eq!(next_digest(shanghai(23, 22, 30)), shanghai(24, 17, 0));
    }

    #[test]
    fn a_digest_lists_every_item_once() {
        let lines = vec![
            DigestLine {
                title: "春游通知".into(), sender_name: "王老师".into(), children: vec!["张小一".into()]
            },
            DigestLine { title: "体检".into(), sender_name: "校医室".into(), children: vec![] },
        ];
        let email = render(Lang::ZhCn, &lines);
        assert_eq!(email.subject, "家校每日汇总：2 条新消息");
        assert!(email.body.contains("• 春游通知 (张小一) — 王老师\n• 体检 — 校医室"));
    }
}
