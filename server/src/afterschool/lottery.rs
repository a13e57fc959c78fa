//! The elective lottery (抽签): who gets a seat in activities that allocate by draw. Pure: the
//! applications, the seats and a seed in; the allocation out. No I/O, no clock.
//!
//! The algorithm, published to the school with the seed so that anyone can redo the draw:
//!
//! 1. Every child gets a lottery number: SHA-256 of the seed, a colon and the child's id (as
//!    lower-case hyphenated text), read as a big-endian number. Children are ordered by it.
//! 2. Rounds: in each round, every child in lottery order takes their best-ranked choice that
//!    still has a seat and does not clash in time with an activity they already got (ranked
//!    choices honoured in order; a clash or a full activity passes to the next choice). A child
//!    gets at most one activity per round, so a child with many choices cannot take every seat
//!    before a later number gets one. Rounds repeat until nobody takes a seat.
//! 3. Every application that got no seat joins its activity's wait list in lottery order.
//!
//! Rules the school may choose ([`Rules`], stated in the draw's record with the seed):
//! - priority: the children it names (those who got none of their choices last term) come before
//!   every other number;
//! - siblings together: siblings sit next to each other in the order (at the best number among
//!   them), and when one takes a seat, each sibling who chose the same activity takes one there
//!   at once if a seat is left (as their pick of the round);
//! - a weekly limit: no child gets more sessions a week (an activity's weekdays) than the limit.
//!
//! Random serial dictatorship of this kind is strategy-proof: ranking true preferences is the best
//! a family can do.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::rules::Minute;

/// How the draw is described to the school (with the seed).
pub const ALGORITHM: &str = "jiaxiao-lottery-1: children ordered by SHA-256(seed + \":\" + student_id) \
    (big-endian); rounds in that order, each child taking their best-ranked choice with a seat \
    left and no time clash, one per round, until nobody takes one; the rest wait-listed in the \
    same order";

/// What the school chose for its draw, beyond the seed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Children drawn before everyone else (none of their choices last term).
    pub first: Vec<Uuid>,
    /// Groups of siblings kept together; empty when the school did not choose it.
    pub siblings: Vec<Vec<Uuid>>,
    /// Most sessions a week one child may get.
    pub weekly_limit: Option<u32>,
    /// Sessions a week each child already holds in the plan (first-come seats), which the limit
    /// counts too.
    pub held_sessions: HashMap<Uuid, u32>,
    /// Whether the school chose priority for last term's unlucky and siblings together (stated in
    /// the record even when no child or family qualified this time).
    pub chose_priority: bool,
    pub chose_siblings: bool,
}

impl Rules {
    /// The rules in words, appended to [`ALGORITHM`] in the draw's record.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        if self.chose_priority || !self.first.is_empty() {
            out.push_str(&format!("; priority first: {} children with none of last term's choices", self.first.len()));
        }
        if self.chose_siblings || !self.siblings.is_empty() {
            out.push_str("; siblings together (adjacent at their best number; a sibling's seat pulls the others into the same activity)");
        }
        if let Some(limit) = self.weekly_limit {
            out.push_str(&format!("; at most {limit} sessions a week per child"));
        }
        out
    }
}

/// An activity in the draw: its seats left and when it runs.
#[derive(Debug, Clone)]
pub struct Offer {
    pub activity_id: Uuid,
    pub seats: u32,
    pub weekdays: Vec<u8>,
    pub start: Minute,
    pub end: Minute,
}

/// A child's application to one activity, with its rank among the child's choices (1 = first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Application {
    pub student_id: Uuid,
    pub activity_id: Uuid,
    pub rank: u8,
}

/// What the draw decided.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Seats given, in the order they were taken.
    pub enrolled: Vec<Application>,
    /// Everyone else, in lottery order (their place on each activity's wait list).
    pub waitlisted: Vec<Application>,
}

/// A child's lottery number for a seed.
pub fn number(seed: &str, student_id: Uuid) -> [u8; 32] {
    Sha256::digest(format!("{seed}:{student_id}").as_bytes()).into()
}

fn clashes(a: &Offer, b: &Offer) -> bool {
    a.weekdays.iter().any(|d| b.weekdays.contains(d)) && a.start < b.end && b.start < a.end
}

/// Draws seats for the applications with no extra rule.
pub fn draw(seed: &str, offers: &[Offer], applications: &[Application]) -> Outcome {
    draw_with(seed, offers, applications, &Rules::default())
}

/// Draws seats for the applications under the school's rules. Applications to an activity not
/// offered are wait-listed.
pub fn draw_with(seed: &str, offers: &[Offer], applications: &[Application], rules: &Rules) -> Outcome {
    let offers: HashMap<Uuid, &Offer> = offers.iter().map(|o| (o.activity_id, o)).collect();
    let mut seats: HashMap<Uuid, u32> = offers.values().map(|o| (o.activity_id, o.seats)).collect();
    // Each child's choices, best first (ties by activity id, so the order never depends on input order).
    let mut choices: HashMap<Uuid, Vec<Application>> = HashMap::new();
    for a in applications {
        choices.entry(a.student_id).or_default().push(*a);
    }
    for list in choices.values_mut() {
        list.sort_by_key(|a| (a.rank, a.activity_id));
    }
    let numbers: HashMap<Uuid, [u8; 32]> = choices.keys().map(|&s| (s, number(seed, s))).collect();
    // Each child's sibling group (only applicants count), and the group's best number.
    let mut group_of: HashMap<Uuid, usize> = HashMap::new();
    for (g, group) in rules.siblings.iter().enumerate() {
        for child in group.iter().filter(|c| numbers.contains_key(c)) {
            group_of.entry(*child).or_insert(g);
        }
    }
    let siblings_of = |child: Uuid| -> Vec<Uuid> {
        match group_of.get(&child) {
            Some(g) => rules.siblings[*g].iter().copied().filter(|c| *c != child && numbers.contains_key(c)).collect(),
            None => Vec::new(),
        }
    };
    let first =
        |child: &Uuid| rules.first.contains(child) || siblings_of(*child).iter().any(|s| rules.first.contains(s));
    let best = |child: Uuid| siblings_of(child).into_iter().map(|s| numbers[&s]).chain([numbers[&child]]).min();
    let mut children: Vec<Uuid> = numbers.keys().copied().collect();
    children.sort_by_key(|child| (!first(child), best(*child), numbers[child], *child));

    let fits = |child: Uuid, held: &[&Offer], offer: &Offer| {
        let drawn: usize = held.iter().map(|h| h.weekdays.len()).sum::<usize>() + offer.weekdays.len();
        let sessions = drawn as u32 + rules.held_sessions.get(&child).copied().unwrap_or(0);
        !held.iter().any(|h| h.activity_id == offer.activity_id || clashes(h, offer))
            && rules.weekly_limit.is_none_or(|limit| sessions <= limit)
    };
    let mut outcome = Outcome::default();
    let mut got: HashMap<Uuid, Vec<&Offer>> = HashMap::new();
    loop {
        let mut taken_this_round = false;
        let mut picked: Vec<Uuid> = Vec::new();
        for child in &children {
            if picked.contains(child) {
                continue;
            }
            let held = got.entry(*child).or_default();
            let pick = choices[child].iter().find(|a| {
                let Some(offer) = offers.get(&a.activity_id) else { return false };
                seats.get(&a.activity_id).is_some_and(|&left| left > 0) && fits(*child, held, offer)
            });
            let Some(application) = pick.copied() else { continue };
            if let Some(left) = seats.get_mut(&application.activity_id) {
                *left -= 1;
            }
            let offer = offers[&application.activity_id];
            held.push(offer);
            outcome.enrolled.push(application);
            picked.push(*child);
            taken_this_round = true;
            // Siblings who chose the same activity join at once while seats are left.
            for sibling in siblings_of(*child) {
                if picked.contains(&sibling) || seats[&offer.activity_id] == 0 {
                    continue;
                }
                let Some(theirs) = choices[&sibling].iter().find(|a| a.activity_id == offer.activity_id).copied()
                else {
                    continue;
                };
                let held = got.entry(sibling).or_default();
                if fits(sibling, held, offer) {
                    if let Some(left) = seats.get_mut(&offer.activity_id) {
                        *left -= 1;
                    }
                    held.push(offer);
                    outcome.enrolled.push(theirs);
                    picked.push(sibling);
                }
            }
        }
        if !taken_this_round {
            break;
        }
    }
    for child in &children {
        let held = got.get(child).map(Vec::as_slice).unwrap_or_default();
        for application in &choices[child] {
            if !held.iter().any(|h| h.activity_id == application.activity_id) {
                outcome.waitlisted.push(*application);
            }
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(n: u128, seats: u32, weekdays: &[u8], start: Minute, end: Minute) -> Offer {
        Offer { activity_id: Uuid::from_u128(n), seats, weekdays: weekdays.to_vec(), start, end }
    }

    fn apply(child: u128, activity: u128, rank: u8) -> Application {
        Application { student_id: Uuid::from_u128(1000 + child), activity_id: Uuid::from_u128(activity), rank }
    }

    #[test]
    fn the_same_seed_draws_the_same_seats_and_another_seed_may_not() {
        let offers = [offer(1, 3, &[1], 960, 1050)];
        let applications: Vec<_> = (0..10).map(|c| apply(c, 1, 1)).collect();
        let first = draw("seed-a", &offers, &applications);
        assert_eq!(first, draw("seed-a", &offers, &applications));
        let mut reversed = applications.clone();
        reversed.reverse();
        assert_eq!(first, draw("seed-a", &offers, &reversed), "the order applications arrived in does not count");
        assert_eq!(first.enrolled.len(), 3);
        assert_eq!(first.waitlisted.len(), 7);
        let others: Vec<_> = (0..20).map(|i| draw(&format!("seed-{i}"), &offers, &applications).enrolled).collect();
        assert!(others.iter().any(|e| *e != first.enrolled), "the seed decides");
    }

    #[test]
    fn seats_are_never_oversold_and_each_child_is_enrolled_at_most_once_per_activity() {
        let offers: Vec<_> = (0..20).map(|a| offer(a, 5, &[1 + (a % 5) as u8], 960, 1050)).collect();
        let applications: Vec<_> =
            (0..300).flat_map(|c| (0..3).map(move |r| apply(c, (c * 7 + r * 3) % 20, r as u8 + 1))).collect();
        let outcome = draw("audit", &offers, &applications);
        for o in &offers {
            let taken = outcome.enrolled.iter().filter(|a| a.activity_id == o.activity_id).count();
            assert!(taken as u32 <= o.seats, "{taken} seats of {}", o.seats);
        }
        assert_eq!(outcome.enrolled.len() + outcome.waitlisted.len(), applications.len());
        let mut pairs: Vec<_> = outcome.enrolled.iter().map(|a| (a.student_id, a.activity_id)).collect();
        pairs.sort();
        pairs.dedup();
        assert_eq!(pairs.len(), outcome.enrolled.len());
    }

    #[test]
    fn a_first_choice_beats_a_later_one_and_a_time_clash_passes_to_the_next_choice() {
        // Two activities at the same time on Monday, one on Tuesday; one child wants all three.
        let offers = [offer(1, 5, &[1], 960, 1050), offer(2, 5, &[1], 1000, 1080), offer(3, 5, &[2], 960, 1050)];
        let applications = [apply(1, 2, 1), apply(1, 1, 2), apply(1, 3, 3)];
        let outcome = draw("s", &offers, &applications);
        let got: Vec<u128> = outcome.enrolled.iter().map(|a| a.activity_id.as_u128()).collect();
        assert_eq!(got, [2, 3], "the first choice, then the next without a clash");
        assert_eq!(outcome.waitlisted, [apply(1, 1, 2)]);
    }

    #[test]
    fn one_seat_per_round_so_a_child_with_many_choices_does_not_take_them_all_first() {
        // Two activities of one seat each on different days; A and B both want both.
        let offers = [offer(1, 1, &[1], 960, 1050), offer(2, 1, &[2], 960, 1050)];
        let applications = [apply(1, 1, 1), apply(1, 2, 2), apply(2, 1, 1), apply(2, 2, 2)];
        let outcome = draw("x", &offers, &applications);
        let children: Vec<Uuid> = outcome.enrolled.iter().map(|a| a.student_id).collect();
        assert_eq!(children.len(), 2);
        assert_ne!(children[0], children[1], "each child gets one seat, not the first child both");
    }

    #[test]
    fn children_the_school_puts_first_are_drawn_before_any_other_number() {
        let offers = [offer(1, 2, &[1], 960, 1050)];
        let applications: Vec<_> = (0..10).map(|c| apply(c, 1, 1)).collect();
        for seed in ["a", "b", "c"] {
            let plain = draw(seed, &offers, &applications);
            // Put first two children the plain draw left out.
            let left_out: Vec<Uuid> = plain.waitlisted.iter().take(2).map(|a| a.student_id).collect();
            let rules = Rules { first: left_out.clone(), ..Rules::default() };
            let favoured = draw_with(seed, &offers, &applications, &rules);
            let seated: Vec<Uuid> = favoured.enrolled.iter().map(|a| a.student_id).collect();
            assert_eq!(seated, left_out);
        }
    }

    #[test]
    fn a_siblings_seat_pulls_the_other_sibling_into_the_same_activity() {
        // One activity of two seats, six applicants; children 0 and 1 are siblings.
        let offers = [offer(1, 2, &[1], 960, 1050)];
        let applications: Vec<_> = (0..6).map(|c| apply(c, 1, 1)).collect();
        let siblings = vec![vec![Uuid::from_u128(1000), Uuid::from_u128(1001)]];
        let rules = Rules { siblings, ..Rules::default() };
        let mut both = 0;
        for seed in (0..60).map(|i| format!("s{i}")) {
            let outcome = draw_with(&seed, &offers, &applications, &rules);
            let seated: Vec<u128> = outcome.enrolled.iter().map(|a| a.student_id.as_u128()).collect();
            match (seated.contains(&1000), seated.contains(&1001)) {
                (true, true) => both += 1,
                // Apart only when the first of them took the last seat.
                (true, false) | (false, true) => {
                    assert!(seated[1] >= 1000 && seated[1] <= 1001, "seed {seed}: {seated:?}")
                }
                (false, false) => {}
            }
            let plain = draw(&seed, &offers, &applications);
            let plain_seated: Vec<u128> = plain.enrolled.iter().map(|a| a.student_id.as_u128()).collect();
            if plain_seated.contains(&1000) && seated.contains(&1000) && seated[0] == 1000 {
                assert_eq!(seated, [1000, 1001], "seed {seed}: the sibling follows at once");
            }
        }
        assert!(both > 0, "siblings seated together under some seed");
    }

    #[test]
    fn the_weekly_limit_caps_each_childs_sessions() {
        // Three activities meeting twice a week each; a limit of 4 sessions admits two.
        let offers =
            [offer(1, 5, &[1, 2], 960, 1050), offer(2, 5, &[3, 4], 960, 1050), offer(3, 5, &[5, 1], 1060, 1100)];
        let applications = [apply(1, 1, 1), apply(1, 2, 2), apply(1, 3, 3)];
        let rules = Rules { weekly_limit: Some(4), ..Rules::default() };
        let outcome = draw_with("w", &offers, &applications, &rules);
        assert_eq!(outcome.enrolled.len(), 2);
        assert_eq!(outcome.waitlisted, [apply(1, 3, 3)]);
        assert_eq!(draw("w", &offers, &applications).enrolled.len(), 3, "no limit, no cap");
        assert!(rules.describe().contains("4 sessions"));
        // Two sessions already held first-come: the limit admits one more activity only.
        let holding = Rules { held_sessions: HashMap::from([(Uuid::from_u128(1001), 2)]), ..rules };
        assert_eq!(draw_with("w", &offers, &applications, &holding).enrolled.len(), 1);
    }

    #[test]
    fn the_lottery_number_is_the_published_hash() {
        let child = Uuid::from_u128(7);
        let expected: [u8; 32] = Sha256::digest(format!("abc:{child}").as_bytes()).into();
        assert_eq!(number("abc", child), expected);
        assert!(ALGORITHM.contains("SHA-256"));
    }
}
