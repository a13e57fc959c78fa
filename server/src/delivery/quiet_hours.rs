//! Quiet hours (a school policy, both directions): nothing is pushed or emailed inside the window;
//! it waits for the window's end. Pure: instants and settings in, an instant out.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A daily window of local time, possibly across midnight (21:00–07:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

pub const DEFAULT_START: &str = "21:00";
pub const DEFAULT_END: &str = "07:00";

/// `HH:MM`, exactly as the API document states times of day.
pub fn parse_hhmm(value: &str) -> Option<NaiveTime> {
    crate::input::clock_time(value)
}

impl Default for QuietHours {
    fn default() -> Self {
        Self {
            start: parse_hhmm(DEFAULT_START).unwrap_or(NaiveTime::MIN),
            end: parse_hhmm(DEFAULT_END).unwrap_or(NaiveTime::MIN),
        }
    }
}

impl QuietHours {
    pub fn parse(start: &str, end: &str) -> Option<Self> {
        Some(Self { start: parse_hhmm(start)?, end: parse_hhmm(end)? })
    }

    /// A school's quiet hours from its settings row, or the default when it set none.
    pub fn of_school(settings: Option<&super::model::school_settings::Model>) -> Self {
        settings.and_then(|s| Self::parse(&s.quiet_start, &s.quiet_end)).unwrap_or_default()
    }

    fn contains(&self, t: NaiveTime) -> bool {
        match self.start.cmp(&self.end) {
            std::cmp::Ordering::Equal => false, // an empty window: no quiet hours
            std::cmp::Ordering::Less => t >= self.start && t < self.end,
            std::cmp::Ordering::Greater => t >= self.start || t < self.end,
        }
    }

    /// The first instant at or after `now` outside the window, in the school's time zone.
    pub fn next_allowed(&self, now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        let local = now.with_timezone(&tz);
        if !self.contains(local.time()) {
            return now;
        }
        let mut date = local.date_naive();
        if self.start > self.end && local.time() >= self.start {
            date += Duration::days(1); // after the evening start: the window ends tomorrow morning
        }
        tz.from_local_datetime(&date.and_time(self.end)).earliest().map_or(now, |t| t.with_timezone(&Utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai(h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn outside_the_window_delivery_is_immediate() {
        let q = QuietHours::default();
        assert_eq!(q.next_allowed(shanghai(17, 0), chrono_tz::Asia::Shanghai), shanghai(17, 0));
        assert_eq!(q.next_allowed(shanghai(7, 0), chrono_tz::Asia::Shanghai), shanghai(7, 0));
    }

    #[test]
    fn inside_the_window_delivery_waits_for_the_morning() {
        let q = QuietHours::default();
        let next_morning =
            chrono_tz::Asia::Shanghai.with_ymd_and_hms(2026, 11, 24, 7, 0, 0).unwrap().with_timezone(&Utc);
        assert_eq!(q.next_allowed(shanghai(22, 30), chrono_tz::Asia::Shanghai), next_morning);
        assert_eq!(q.next_allowed(shanghai(21, 0), chrono_tz::Asia::Shanghai), next_morning);
        assert_eq!(q.next_allowed(shanghai(6, 59), chrono_tz::Asia::Shanghai), shanghai(7, 0));
    }

    #[test]
    fn a_daytime_window_and_an_empty_one_work_too() {
        let lunch = QuietHours::parse("12:00", "13:30").unwrap();
        assert_eq!(lunch.next_allowed(shanghai(12, 15), chrono_tz::Asia::Shanghai), shanghai(13, 30));
        let none = QuietHours::parse("00:00", "00:00").unwrap();
        assert_eq!(none.next_allowed(shanghai(23, 0), chrono_tz::Asia::Shanghai), shanghai(23, 0));
    }
}
