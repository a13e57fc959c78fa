//! Safe release (`afterschool` sign-out): a child marked present and not signed out (of that or any
//! activity that day, nor present at a later one) when the session is over ([`rules::overdue_for_release`]) is escalated to the school at once: an urgent
//! inbox item (through quiet hours) to its admins and the person in charge, once per child and day.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Timelike};
use uuid::Uuid;

use super::super::repo;
use super::super::rules::{self, Minute};
use super::{school, tell};
use crate::error::ApiResult;
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::state::AppState;

/// How far back the job looks: a child left unreleased is the school's business the same evening,
/// not weeks later.
const LOOK_BACK_DAYS: i64 = 7;

/// Escalates every overdue child not signed out; answers how many children it escalated.
pub async fn escalate_unreleased(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let since = now.date_naive() - Duration::days(LOOK_BACK_DAYS);
    let mut by_session: BTreeMap<(Uuid, NaiveDate), Vec<Uuid>> = BTreeMap::new();
    for row in repo::present_not_escalated(&state.db, since).await? {
        by_session.entry((row.activity_id, row.date)).or_default().push(row.student_id);
    }
    let mut escalated = 0;
    for ((activity_id, date), children) in by_session {
        let Some(activity) = repo::activity(&state.db, activity_id).await? else { continue };
        let school = school(&state.db, activity.school_id).await?;
        let local = now.with_timezone(&school.zone());
        let minute = (local.hour() * 60 + local.minute()) as Minute;
        if !rules::overdue_for_release(date, activity.end_minute as Minute, local.date_naive(), minute) {
            continue;
        }
        let txn = crate::infra::db::begin(&state.db).await?;
        let mut missing = Vec::new();
        for student_id in children {
            // Released from any activity that day, or present at a later one (whose own end
            // decides), the child is not missing from this one.
            if repo::signed_out_anywhere(&txn, student_id, date).await? {
                continue;
            }
            let mut later = false;
            for other in repo::present_at(&txn, student_id, date).await? {
                if other != activity_id
                    && let Some(next) = repo::activity(&txn, other).await?
                {
                    later |= next.end_minute > activity.end_minute;
                }
            }
            if !later && repo::claim_escalation(&txn, activity_id, date, student_id).await? {
                missing.push(student_id);
            }
        }
        if missing.is_empty() {
            txn.commit().await?;
            continue;
        }
        let names = crate::org::repo::student_names(&txn, missing.clone()).await?;
        let mut listed: Vec<String> = missing.iter().filter_map(|id| names.get(id).cloned()).collect();
        listed.sort();
        let id = Uuid::new_v4();
        let (name, end, count) = (&activity.name, rules::hhmm(activity.end_minute as Minute), missing.len());
        let entry = items::Entry {
            kind: ItemKind::Afterschool,
            ref_id: id,
            title: format!("{date}「{name}」{count} 名学生未签退 / {count} not signed out of \"{name}\" on {date}"),
            body: format!(
                "{}：已到课，{end} 下课后未登记签退，请立即核实孩子去向并联系家长。\n\
                 Present at roll call and not signed out after the session ended at {end}: find out where they are and call their families now.",
                listed.join("、")
            ),
            sender_name: school.name.clone(),
            urgent: true,
            needs_response: false,
            subject_id: None,
        };
        let mut told = crate::org::repo::admin_accounts(&txn, vec![school.id]).await?;
        told.extend(activity.in_charge_account_id);
        told.sort_unstable();
        told.dedup();
        tell(&txn, school.id, None, &told, entry, now).await?;
        txn.commit().await?;
        state.bus.publish(Wake::items(Some(told))).await;
        escalated += count as u64;
    }
    Ok(escalated)
}
