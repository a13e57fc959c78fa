//! The README's first command seeds the demo district through the real services: this keeps it
//! working on both backends.

use jiaxiao_tests::{TestApp, spawn_app};

async fn sign_in(app: &TestApp, login: &str) -> String {
    app.login(login, server::demo::PASSWORD).await
}

#[tokio::test]
async fn the_demo_seeds_every_domain_once_and_signs_in_each_role() {
    let app = spawn_app().await;
    let demo = server::demo::seed(&app.state).await.expect("demo seed");
    assert!(demo.seeded_now && !demo.logins.is_empty());
    // A second start finds the district, seeds nothing again and says so.
    let again = server::demo::seed(&app.state).await.expect("second seed");
    assert!(!again.seeded_now);
    assert_eq!(demo.logins.len(), again.logins.len());

    let bureau = sign_in(&app, server::demo::BUREAU_LOGIN).await;
    let me = app.get("/api/v1/me", Some(&bureau)).await.expect(200);
    assert_eq!(me.body["districts"].as_array().map(Vec::len), Some(1));

    let schools = app.get("/api/v1/schools", Some(&bureau)).await.expect(200);
    let school_count = schools.body["items"].as_array().expect("schools").len();
    assert!(school_count > 0);

    // Every school has a published after-school plan (the first also a draft breaking AS_END_TIME),
    // and its basketball club filled its 3 seats with 2 more on the wait list.
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::afterschool::model::{EnrolmentStatus, PlanStatus, enrolment, plan};
    let db = &app.state.db;
    let published =
        plan::Entity::find().filter(plan::Column::Status.eq(PlanStatus::Published)).count(db).await.unwrap();
    let drafts = plan::Entity::find().filter(plan::Column::Status.eq(PlanStatus::Draft)).count(db).await.unwrap();
    assert_eq!((published as usize, drafts), (school_count, 1));
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .count(db)
        .await
        .unwrap();
    let waiting = enrolment::Entity::find()
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .count(db)
        .await
        .unwrap();
    assert_eq!((enrolled as usize, waiting as usize), (3 * school_count, 2 * school_count));
}
