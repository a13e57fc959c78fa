//! Digests: homework reaches a family in one push and one email on its day, and a family that asks
//! for a daily digest gets everything else the same way instead of instant notifications (urgent
//! notices still go at once). One digest per family, across all children and schools, at the time
//! the family chose or else its children's schools' earliest.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::email::Email;
use super::quiet_hours::{QuietHours, parse_hhmm};
use crate::i18n::Lang;

/// When digests go out unless a school or family says otherwise: 17:00, after school and before
/// dinner.
pub const DIGEST_TIME: &str = "17:00";

/// When one family's digest goes out: a time of day in a zone, moved out of the school's quiet
/// hours when the school chose it (a time the family chose itself is taken as chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestClock {
    pub at: NaiveTime,
    pub zone: Tz,
    pub quiet: Option<QuietHours>,
}

impl Default for DigestClock {
    fn default() -> Self {
        Self {
            at: parse_hhmm(DIGEST_TIME).unwrap_or(NaiveTime::MIN),
            zone: crate::org::model::default_zone(),
            quiet: Some(QuietHours::default()),
        }
    }
}

impl DigestClock {
    /// A family's one clock: the time it chose, or else the earliest of its children's schools'
    /// (so a family with children in two schools gets one digest, not one per school).
    pub fn of_family(chosen: Option<NaiveTime>, schools: impl IntoIterator<Item = DigestClock>) -> Self {
        let earliest = schools.into_iter().min_by_key(|c| c.at);
        match (chosen, earliest) {
            (Some(at), school) => Self { at, zone: school.unwrap_or_default().zone, quiet: None },
            (None, Some(school)) => school,
            (None, None) => Self::default(),
        }
    }

    /// The digest instant of `date` (possibly the next morning, out of quiet hours).
    pub fn on(&self, date: NaiveDate) -> DateTime<Utc> {
        let local = self.zone.from_local_datetime(&date.and_time(self.at)).earliest();
        let at = local.map_or_else(|| self.zone.from_utc_datetime(&date.and_time(self.at)).to_utc(), |t| t.to_utc());
        self.quiet.map_or(at, |q| q.next_allowed(at, self.zone))
    }

    /// The day whose digest is the first at or after `t`.
    pub fn day_from(&self, t: DateTime<Utc>) -> NaiveDate {
        let today = t.with_timezone(&self.zone).date_naive();
        // Quiet hours may push one day's digest into the next morning: look a day either side.
        (-1..=2).map(|offset| today + Duration::days(offset)).find(|day| self.on(*day) >= t).unwrap_or(today)
    }

    /// The first digest instant at or after `t`.
    pub fn first_from(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        self.on(self.day_from(t))
    }

    /// Marks a row held for the digest of `day`: the day's first instant in this clock's zone.
    pub fn marker(&self, day: NaiveDate) -> DateTime<Utc> {
        let start = day.and_time(NaiveTime::MIN);
        self.zone.from_local_datetime(&start).earliest().map_or_else(|| start.and_utc(), |t| t.to_utc())
    }

    /// When a row held for the digest goes: the digest of the day its marker falls on, but never
    /// before the row was queued — homework for today posted after today's digest goes at once
    /// rather than tomorrow.
    pub fn due(&self, marker: DateTime<Utc>, queued_at: DateTime<Utc>) -> DateTime<Utc> {
        self.on(marker.with_timezone(&self.zone).date_naive()).max(queued_at)
    }
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
        chrono_tz::Asia::Shanghai.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn clock(at: &str, quiet: Option<QuietHours>) -> DigestClock {
        DigestClock { at: parse_hhmm(at).unwrap(), zone: chrono_tz::Asia::Shanghai, quiet }
    }

    #[test]
    fn the_next_digest_is_today_at_five_or_tomorrow() {
        let c = DigestClock::default();
        assert_eq!(c.first_from(shanghai(23, 16, 0)), shanghai(23, 17, 0));
        assert_eq!(c.first_from(shanghai(23, 17, 0)), shanghai(23, 17, 0));
        assert_eq!(c.first_from(shanghai(23, 17, 1)), shanghai(24, 17, 0));
        assert_eq!(c.first_from(shanghai(23, 22, 30)), shanghai(24, 17, 0));
    }

    #[test]
    fn a_family_in_two_schools_follows_the_earliest_unless_it_chose() {
        let (early, late) = (clock("16:30", Some(QuietHours::default())), clock("18:00", None));
        assert_eq!(DigestClock::of_family(None, [late, early]), early);
        let chosen = DigestClock::of_family(parse_hhmm("19:15"), [late, early]);
        assert_eq!(chosen.first_from(shanghai(23, 8, 0)), shanghai(23, 19, 15));
        assert_eq!(DigestClock::of_family(None, []), DigestClock::default());
    }

    #[test]
    fn a_school_digest_inside_quiet_hours_goes_the_next_morning_and_keeps_its_day() {
        let c = clock("22:00", Some(QuietHours::default()));
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(c.on(day(23)), shanghai(24, 7, 0));
        assert_eq!(c.day_from(shanghai(24, 6, 0)), day(23));
        assert_eq!(c.first_from(shanghai(24, 7, 1)), shanghai(25, 7, 0));
        // A row of the 24th waits for the 24th's digest, not the 23rd's that went that morning.
        assert_eq!(c.due(c.marker(day(24)), shanghai(24, 16, 0)), shanghai(25, 7, 0));
    }

    #[test]
    fn a_held_row_goes_at_its_days_digest_or_at_once_when_that_has_passed() {
        let c = DigestClock::default();
        let tuesday = c.marker(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(tuesday, shanghai(24, 0, 0));
        assert_eq!(c.due(tuesday, shanghai(23, 16, 0)), shanghai(24, 17, 0), "tomorrow's homework, posted today");
        assert_eq!(c.due(tuesday, shanghai(24, 18, 0)), shanghai(24, 18, 0), "today's, posted after the digest");
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
