//! The demo's summer care: the bureau's community site and the first school's own, four weeks
//! next July each, through the service (so `AS_SUMMER` checks them); forty families of the first
//! school take places, which fills the school site's first week and puts the rest in line.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::access::Caller;
use crate::afterschool::summer::dto::{CreateSummerSite, SummerEnrol, SummerWeekInput};
use crate::afterschool::summer::service as summer;
use crate::org::model::{AccessLevel, bureau_officer, guardian, guardianship, school, staff, student};
use crate::state::AppState;

fn err(what: &'static str) -> impl Fn(crate::error::ApiError) -> anyhow::Error {
    move |e| anyhow::anyhow!("demo summer care, {what}: {e}")
}

/// The Mondays of the first four full weeks of next July.
fn next_july(today: NaiveDate) -> Vec<NaiveDate> {
    let year = if today.month() >= 7 { today.year() + 1 } else { today.year() };
    let mut monday = NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or(today);
    while monday.weekday() != Weekday::Mon {
        monday += Duration::days(1);
    }
    (0..4).map(|w| monday + Duration::weeks(w)).collect()
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    let Some(officer) = bureau_officer::Entity::find().one(db).await? else { return Ok(()) };
    let Some(first) = school::Entity::find().order_by_asc(school::Column::Name).one(db).await? else { return Ok(()) };
    let Some(admin) = staff::Entity::find()
        .filter(staff::Column::SchoolId.eq(first.id))
        .filter(staff::Column::IsSchoolAdmin.eq(true))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let mondays = next_july(first.local_date(state.clock.now()));
    let site = |school_id, name: &str, address: &str, fee_fen, capacity| CreateSummerSite {
        school_id,
        name: name.into(),
        address: address.into(),
        grades: if school_id.is_some() { vec![1, 2, 3, 4, 5, 6] } else { vec![] },
        start: "08:30".into(),
        end: "17:30".into(),
        fee_fen,
        weeks: mondays.iter().map(|m| SummerWeekInput { starts_on: *m, capacity }).collect(),
    };
    let bureau = Caller { account_id: officer.account_id };
    summer::create_site(state, &bureau, site(None, "示范区青少年活动中心暑托班", "示范区文化路 8 号", 0, 60))
        .await
        .map_err(err("community site"))?;
    let own = summer::create_site(
        state,
        &Caller { account_id: admin.account_id },
        site(Some(first.id), &format!("{}暑期托管", first.name), "学校体育馆", 20000, 30),
    )
    .await
    .map_err(err("school site"))?;
    let pupils = student::Entity::find()
        .filter(student::Column::SchoolId.eq(first.id))
        .order_by_asc(student::Column::StudentNo)
        .all(db)
        .await?;
    let mut taken = 0;
    for pupil in pupils {
        if taken == 40 {
            break;
        }
        let Some(link) = guardianship::Entity::find()
            .filter(guardianship::Column::StudentId.eq(pupil.id))
            .filter(guardianship::Column::AccessLevel.eq(AccessLevel::Full))
            .one(db)
            .await?
        else {
            continue;
        };
        let Some(parent) = guardian::Entity::find_by_id(link.guardian_id).one(db).await? else { continue };
        let caller = Caller { account_id: parent.account_id };
        // Grades 1–6 only: a junior pupil of a nine-year school is not taken (and not tried).
        if summer::enrol(state, &caller, own.weeks[0].id, SummerEnrol { student_id: pupil.id }).await.is_ok() {
            taken += 1;
        }
    }
    Ok(())
}
